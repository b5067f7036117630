import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "../src/artifacts.ts";
import { launchChromium } from "../src/chromium.ts";
import { startHarnessServer } from "../src/harnessServer.ts";
import type { HarnessServer } from "../src/harnessServer.ts";
import { startKamailio } from "../src/kamailio.ts";
import type { RunningKamailio } from "../src/kamailio.ts";
import { audioEnergyOver, openPhone, testCredentials, waitForAudio } from "../src/phonePage.ts";
import type { PhonePage } from "../src/phonePage.ts";

// Three real SIP.js phones in Debian's Chromium, registered to a real Kamailio with ephemeral credentials:
// agent A (101), agent B (102) and a customer calling from a mobile number written the 8-way.
const SECRET = "e2e-ephemeral-secret-0123456789";
const CUSTOMER = "89123456789";

let kamailio: RunningKamailio;
let harness: HarnessServer;
let browser: Browser;
let agentA: PhonePage;
let agentB: PhonePage;
let customer: PhonePage;

beforeAll(async () => {
  [kamailio, harness, browser] = await Promise.all([
    startKamailio({ secret: SECRET, trace: Boolean(process.env.E2E_DEBUG) }),
    startHarnessServer(),
    launchChromium(),
  ]);
  [agentA, agentB, customer] = await Promise.all([
    openPhone(browser, harness.url, testCredentials(kamailio, SECRET, "101", "Анна Агентова")),
    openPhone(browser, harness.url, testCredentials(kamailio, SECRET, "102", "Борис Бережной")),
    openPhone(browser, harness.url, testCredentials(kamailio, SECRET, CUSTOMER, "Клиент")),
  ]);
});

afterAll(async () => {
  if (process.env.E2E_DEBUG) {
    process.stderr.write(kamailio.log());
  }
  await browser?.close();
  await Promise.all([harness?.close(), kamailio?.stop()]);
});

// A failed test must not leave calls up that confuse the next one.
afterEach(async () => {
  for (const phone of [agentA, agentB, customer]) {
    const ids = (await phone.lines()).map((line) => line.id);
    await Promise.all(ids.map((id) => phone.page.evaluate((lineId) => window.phone.hangup(lineId), id)));
  }
  for (const phone of [agentA, agentB, customer]) {
    await phone.waitFor((s) => s.lines.length === 0 || undefined);
  }
});

const registered = (phone: PhonePage) => phone.waitFor((s) => s.registration.status === "registered");

async function customerCallsA(): Promise<{ aLine: string; cLine: string }> {
  const dialledAt = Date.now();
  const cLine = await customer.page.evaluate(() => window.phone.dial("101"));
  const ringing = await agentA.waitFor((s) => s.lines.find((line) => line.status === "incoming"));
  // SIP.js would wait up to 5 s for ICE gathering by default; capped, the INVITE leaves at once.
  expect(Date.now() - dialledAt).toBeLessThan(2000);
  await agentA.page.evaluate((id) => window.phone.answer(id), ringing.id);
  await agentA.waitFor((s) => s.lines.some((line) => line.id === ringing.id && line.status === "active"));
  await customer.waitFor((s) => s.lines.some((line) => line.id === cLine && line.status === "active"));
  return { aLine: ringing.id, cLine };
}

describe("softphone against Kamailio", () => {
  it("registers all three phones with ephemeral credentials", async () => {
    await Promise.all([registered(agentA), registered(agentB), registered(customer)]);
  });

  it("rejects a registration whose password is not the HMAC of its username", async () => {
    const forged = { ...testCredentials(kamailio, SECRET, "103", "Чужой"), password: "AAAA" };
    const intruder = await openPhone(browser, harness.url, forged);
    await intruder.waitFor((s) => s.registration.status === "failed");
    await intruder.page.context().close();
  });

  it("warm-transfers the customer from A to B: consult, complete, and audio flows between B and the customer", async () => {
    const { aLine } = await customerCallsA();
    const ringingA = (await agentA.lines()).find((line) => line.id === aLine);
    expect(ringingA?.number).toBe(CUSTOMER);
    await waitForAudio(agentA, aLine);
    await screenshot(agentA.page, "01-agent-a-talking");

    // A consults B while the customer holds.
    const consultLine = await agentA.page.evaluate((id) => window.phone.startConsult(id, "102"), aLine);
    expect((await agentA.lines()).find((line) => line.id === aLine)?.status).toBe("held");
    const bRinging = await agentB.waitFor((s) => s.lines.find((line) => line.status === "incoming"));
    expect(bRinging.number).toBe("101");
    await agentB.page.evaluate((id) => window.phone.answer(id), bRinging.id);
    await agentA.waitFor((s) => s.lines.some((line) => line.id === consultLine && line.status === "active"));
    await waitForAudio(agentB, bRinging.id);
    await screenshot(agentA.page, "02-agent-a-consulting");

    // A completes: REFER with Replaces to the customer, who calls B; B's phone swaps the consult call for them.
    await agentA.page.evaluate((id) => window.phone.completeTransfer(id), consultLine);
    const bCustomer = await agentB.waitFor((s) =>
      s.lines.find((line) => line.number === CUSTOMER && line.status === "active"),
    );
    await agentA.waitFor((s) => s.lines.length === 0 || undefined);
    await agentB.waitFor((s) => s.lines.length === 1 || undefined);
    expect((await agentB.events()).some((e) => e.type === "replaced" && e.replacedId === bRinging.id)).toBe(
      true,
    );
    const cLines = await customer.waitFor((s) => (s.lines.length === 1 ? s.lines : undefined));
    expect(cLines[0]?.status).toBe("active");
    await waitForAudio(agentB, bCustomer.id);
    await waitForAudio(customer, cLines[0]!.id);
    await screenshot(agentB.page, "03-agent-b-after-transfer");

    await agentB.page.evaluate((id) => window.phone.hangup(id), bCustomer.id);
    await customer.waitFor((s) => s.lines.length === 0 || undefined);
  });

  it("cancels a consultation and returns to the customer, who is taken off hold", async () => {
    const { aLine, cLine } = await customerCallsA();
    const consultLine = await agentA.page.evaluate((id) => window.phone.startConsult(id, "102"), aLine);
    const bRinging = await agentB.waitFor((s) => s.lines.find((line) => line.status === "incoming"));
    await agentB.page.evaluate((id) => window.phone.answer(id), bRinging.id);
    await agentA.waitFor((s) => s.lines.some((line) => line.id === consultLine && line.status === "active"));

    await agentA.page.evaluate((id) => window.phone.cancelConsult(id), consultLine);
    await agentB.waitFor((s) => s.lines.length === 0 || undefined);
    await agentA.waitFor((s) => s.lines.length === 1 && s.lines[0]?.status === "active");
    await waitForAudio(customer, cLine);

    await customer.page.evaluate((id) => window.phone.hangup(id), cLine);
    await agentA.waitFor((s) => s.lines.length === 0 || undefined);
  });

  it("blind-transfers the customer to B: A is free at once, B rings with the customer's number", async () => {
    const { aLine } = await customerCallsA();
    await agentA.page.evaluate((id) => window.phone.blindTransfer(id, "102"), aLine);
    const bRinging = await agentB.waitFor((s) => s.lines.find((line) => line.status === "incoming"));
    expect(bRinging.number).toBe(CUSTOMER);
    await agentB.page.evaluate((id) => window.phone.answer(id), bRinging.id);
    await agentA.waitFor((s) => s.lines.length === 0 || undefined);
    const cLine = await customer.waitFor((s) =>
      s.lines.length === 1 && s.lines[0]?.status === "active" ? s.lines[0] : undefined,
    );
    await waitForAudio(agentB, bRinging.id);
    await customer.page.evaluate((id) => window.phone.hangup(id), cLine.id);
    await agentB.waitFor((s) => s.lines.length === 0 || undefined);
  });

  it("mutes the microphone (the customer hears silence), holds and resumes, and sends DTMF", async () => {
    const { aLine, cLine } = await customerCallsA();
    await waitForAudio(customer, cLine);
    const audible = await audioEnergyOver(customer, cLine);
    expect(audible).toBeGreaterThan(0.01);

    await agentA.page.evaluate((id) => window.phone.setMuted(id, true), aLine);
    expect((await agentA.lines())[0]?.muted).toBe(true);
    // Let the jitter buffer play out what was said before the click.
    await new Promise((r) => setTimeout(r, 500));
    expect(await audioEnergyOver(customer, cLine)).toBeLessThan(audible / 20);
    await agentA.page.evaluate((id) => window.phone.setMuted(id, false), aLine);
    expect(await audioEnergyOver(customer, cLine)).toBeGreaterThan(audible / 4);

    await agentA.page.evaluate((id) => window.phone.setHeld(id, true), aLine);
    expect((await agentA.lines())[0]?.status).toBe("held");
    await agentA.page.evaluate((id) => window.phone.setHeld(id, false), aLine);
    expect((await agentA.lines())[0]?.status).toBe("active");
    expect(await audioEnergyOver(customer, cLine)).toBeGreaterThan(audible / 4);

    await agentA.page.evaluate((id) => window.phone.sendDtmf(id, "12#"), aLine);
    await agentA.page.evaluate((id) => window.phone.hangup(id), aLine);
    await customer.waitFor((s) => s.lines.length === 0 || undefined);
  });

  it("takes a second call while talking (call waiting): answering it puts the first on hold", async () => {
    const { aLine, cLine } = await customerCallsA();
    const bLine = await agentB.page.evaluate(() => window.phone.dial("101"));
    const waiting = await agentA.waitFor((s) => s.lines.find((line) => line.status === "incoming"));
    expect(waiting.number).toBe("102");
    expect((await agentA.lines()).find((line) => line.id === aLine)?.status).toBe("active");

    await agentA.page.evaluate((id) => window.phone.answer(id), waiting.id);
    await agentA.waitFor((s) => s.lines.find((line) => line.id === waiting.id)?.status === "active");
    expect((await agentA.lines()).find((line) => line.id === aLine)?.status).toBe("held");
    await waitForAudio(agentB, bLine);

    await agentB.page.evaluate((id) => window.phone.hangup(id), bLine);
    await agentA.waitFor((s) => s.lines.length === 1 || undefined);
    await agentA.page.evaluate((id) => window.phone.setHeld(id, false), aLine);
    await waitForAudio(customer, cLine);
    await customer.page.evaluate((id) => window.phone.hangup(id), cLine);
    await agentA.waitFor((s) => s.lines.length === 0 || undefined);
  });
});
