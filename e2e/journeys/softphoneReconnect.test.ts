import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "../src/artifacts.ts";
import { launchChromium } from "../src/chromium.ts";
import { startHarnessServer } from "../src/harnessServer.ts";
import type { HarnessServer } from "../src/harnessServer.ts";
import { startKamailio } from "../src/kamailio.ts";
import type { RunningKamailio } from "../src/kamailio.ts";
import { openPhone, testCredentials } from "../src/phonePage.ts";

const SECRET = "e2e-reconnect-secret-0123456789";

let kamailio: RunningKamailio;
let harness: HarnessServer;
let browser: Browser;

beforeAll(async () => {
  [kamailio, harness, browser] = await Promise.all([
    startKamailio({ secret: SECRET }),
    startHarnessServer(),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([harness?.close(), kamailio?.stop()]);
});

describe("softphone after a network drop", () => {
  it("says it lost the PBX, keeps retrying, and registers again when the PBX is back", async () => {
    const agent = await openPhone(browser, harness.url, testCredentials(kamailio, SECRET, "101", "Анна"));
    await agent.waitFor((s) => s.registration.status === "registered");

    // The registrar goes away (crash, restart, cable pulled): the WebSocket closes under the phone.
    await kamailio.stop();
    const lost = await agent.waitFor((s) =>
      s.registration.status === "reconnecting" ? s.registration : undefined,
    );
    expect(lost.reason).toBeTruthy();
    await agent.waitFor((s) => s.registration.attempts >= 1 || undefined);
    await screenshot(agent.page, "10-softphone-reconnecting");

    // Same address again, empty location table: only a fresh REGISTER makes the agent reachable.
    kamailio = await startKamailio({ secret: SECRET, port: kamailio.port });
    await agent.waitFor((s) => s.registration.status === "registered", 40_000);

    // Proof that the registration is real: a call reaches the agent through the new Kamailio.
    const caller = await openPhone(
      browser,
      harness.url,
      testCredentials(kamailio, SECRET, "89001112233", "Клиент"),
    );
    await caller.waitFor((s) => s.registration.status === "registered");
    await caller.page.evaluate(() => window.phone.dial("101"));
    const ringing = await agent.waitFor((s) => s.lines.find((line) => line.status === "incoming"));
    expect(ringing.number).toBe("89001112233");
    await agent.page.evaluate((id) => window.phone.reject(id), ringing.id);
    await caller.waitFor((s) => s.lines.length === 0 || undefined);
  });
});
