import type { Browser, Page } from "playwright-core";
import type { Line } from "../../agent-desktop/src/softphone/lines.ts";
import type { SipCredentials } from "@okno/contracts";
import type { SoftphoneSnapshot } from "../../agent-desktop/src/softphone/softphone.ts";
import type { HarnessEvent } from "../harness/harnessApi.ts";
import { ephemeralCredentials } from "./ephemeral.ts";

export interface PhonePage {
  page: Page;
  snapshot: () => Promise<SoftphoneSnapshot | undefined>;
  lines: () => Promise<readonly Line[]>;
  events: () => Promise<HarnessEvent[]>;
  /** Polls until `pick` returns something for the current snapshot (or throws after `timeoutMs`). */
  waitFor: <T>(
    pick: (snapshot: SoftphoneSnapshot) => T | undefined | false,
    timeoutMs?: number,
  ) => Promise<T>;
}

/** SIP credentials as crm-api would hand them out, made here for parties that have no Okno account. */
export function testCredentials(
  kamailio: { wsUrl: string },
  secret: string,
  extension: string,
  displayName: string,
): SipCredentials {
  const { username, password } = ephemeralCredentials(secret, extension);
  return {
    wsUri: kamailio.wsUrl,
    domain: "okno.test",
    authorizationUsername: username,
    password,
    displayName,
    extension,
    iceServers: [],
    expiresAt: null,
  };
}

/** Opens the harness page in its own browser context (own cookies, own microphone) and registers it. */
export async function openPhone(
  browser: Browser,
  harnessUrl: string,
  credentials: SipCredentials,
): Promise<PhonePage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (process.env.E2E_DEBUG) {
    page.on("console", (message) => process.stderr.write(`[${credentials.extension}] ${message.text()}\n`));
  }
  await page.goto(process.env.E2E_DEBUG ? `${harnessUrl}?debug` : harnessUrl);
  await page.waitForFunction(() => "phone" in window);
  await page.evaluate((creds) => window.phone.start(creds), credentials);
  const snapshot = () => page.evaluate(() => window.phone.snapshot());
  const phone: PhonePage = {
    page,
    snapshot,
    lines: async () => (await snapshot())?.lines ?? [],
    events: () => page.evaluate(() => window.phone.events()),
    async waitFor(pick, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await snapshot();
        const picked = current ? pick(current) : undefined;
        if (picked !== undefined && picked !== false) {
          return picked;
        }
        if (Date.now() > deadline) {
          throw new Error(`timed out; last snapshot: ${JSON.stringify(current)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return phone;
}

/** Waits until RTP packets arrive on the line, proving that audio flows (not only that SIP says so). */
export async function waitForAudio(phone: PhonePage, lineId: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let first: number | undefined;
  for (;;) {
    const stats = await phone.page.evaluate((id) => window.phone.mediaStats(id), lineId);
    const received = stats?.packetsReceived ?? 0;
    first ??= received;
    // Growing counters: the stream is live now, not a leftover count from before a hold or transfer.
    if (received > first && received > 5) {
      return received;
    }
    if (Date.now() > deadline) {
      throw new Error(`no audio on ${lineId}: ${JSON.stringify(stats)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How much sound arrived on the line during `ms` (WebRTC totalAudioEnergy delta): ~0 means silence. */
export async function audioEnergyOver(phone: PhonePage, lineId: string, ms = 1500): Promise<number> {
  const read = async () =>
    (await phone.page.evaluate((id) => window.phone.mediaStats(id), lineId))?.totalAudioEnergy ?? 0;
  const before = await read();
  await new Promise((r) => setTimeout(r, ms));
  return (await read()) - before;
}
