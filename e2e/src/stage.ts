import type { Browser } from "playwright-core";
import { launchChromium } from "./chromium.ts";
import { startCrmApi, type RunningCrmApi } from "./crmApi.ts";
import { ensureDesktopBuilt, serveDesktop, type DesktopServer } from "./desktop.ts";
import { startHarnessServer, type HarnessServer } from "./harnessServer.ts";
import { startKamailio, type RunningKamailio } from "./kamailio.ts";

/** Everything a desktop journey plays on: the registrar, crm-api, the desktop, the phone harness, Chromium. */
export interface DesktopStage {
  kamailio: RunningKamailio;
  crmApi: RunningCrmApi;
  desktop: DesktopServer;
  harness: HarnessServer;
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * Starts Kamailio with `secret` as the ephemeral-auth secret, crm-api on it (on DATABASE_URL when set),
 * the phone harness, Chromium and the built desktop. `prepare` runs once crm-api is up and before the
 * desktop is served (creating the journey's contacts, say).
 */
export async function startDesktopStage(
  secret: string,
  prepare: (crmApi: RunningCrmApi) => Promise<void> = async () => undefined,
): Promise<DesktopStage> {
  // Built before crm-api starts: it lists the bundle's files when it starts serving them.
  const [kamailio, harness, browser] = await Promise.all([
    startKamailio({ secret, trace: Boolean(process.env.E2E_DEBUG) }),
    startHarnessServer(),
    launchChromium(),
    ensureDesktopBuilt(),
  ]);
  const crmApi = await startCrmApi({
    sip: { wsUrl: kamailio.wsUrl, domain: "okno.test", ephemeralSecret: secret },
    databaseUrl: process.env.DATABASE_URL,
  });
  await prepare(crmApi);
  const desktop = await serveDesktop(crmApi.url);
  return {
    kamailio,
    crmApi,
    desktop,
    harness,
    browser,
    async stop() {
      if (process.env.E2E_DEBUG) {
        process.stderr.write(kamailio.log() + crmApi.log());
      }
      await browser.close();
      await Promise.all([desktop.close(), harness.close()]);
      await crmApi.stop();
      await kamailio.stop();
    },
  };
}
