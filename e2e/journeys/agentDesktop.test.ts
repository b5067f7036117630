import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiAs } from "../src/apiAs.ts";
import { screenshot } from "../src/artifacts.ts";
import { launchChromium } from "../src/chromium.ts";
import { startCrmApi } from "../src/crmApi.ts";
import type { RunningCrmApi } from "../src/crmApi.ts";
import { postCallEvents, ringing } from "../src/ctiEvents.ts";
import { ensureDesktopBuilt, openDesktop, serveDesktop } from "../src/desktop.ts";
import type { DesktopServer } from "../src/desktop.ts";
import { startHarnessServer } from "../src/harnessServer.ts";
import type { HarnessServer } from "../src/harnessServer.ts";
import { startKamailio } from "../src/kamailio.ts";
import type { RunningKamailio } from "../src/kamailio.ts";
import { openPhone, testCredentials } from "../src/phonePage.ts";
import type { PhonePage } from "../src/phonePage.ts";

// The agent desktop as users get it: crm-api with the demo company, agents agent1 (101) and agent2 (102)
// signed in, their softphones registered to Kamailio with credentials from GET /api/v1/me/sip; the
// customer is a bare SIP.js page calling from a number written the 8-way, stored on the contact as +7.
const SECRET = "e2e-desktop-ephemeral-secret-0123";
const CUSTOMER_DIALS_FROM = "89123456789";
const CUSTOMER_STORED_AS = "+7 912 345-67-89";

let kamailio: RunningKamailio;
let crmApi: RunningCrmApi;
let desktop: DesktopServer;
let harness: HarnessServer;
let browser: Browser;
let customer: PhonePage;
/** Why the journeys cannot run on this checkout (a backend route missing), or undefined when they can. */
let notReady: string | undefined;

beforeAll(async () => {
  // Built before crm-api starts: it lists the bundle's files when it starts serving them.
  [kamailio, harness, browser] = await Promise.all([
    startKamailio({ secret: SECRET, trace: Boolean(process.env.E2E_DEBUG) }),
    startHarnessServer(),
    launchChromium(),
    ensureDesktopBuilt(),
  ]);
  crmApi = await startCrmApi({
    sip: { wsUrl: kamailio.wsUrl, domain: "okno.test", ephemeralSecret: SECRET },
    databaseUrl: process.env.DATABASE_URL,
  });
  const agent1 = await apiAs(crmApi.url, "agent1");
  const sip = await agent1("/me/sip");
  if (!sip.ok) {
    notReady = `GET /api/v1/me/sip answers ${sip.status}`;
    return;
  }
  const created = await agent1("/contacts", {
    method: "POST",
    body: JSON.stringify({
      lastName: "Клиентова",
      firstName: "Ирина",
      phones: [{ phone: CUSTOMER_STORED_AS, kind: "mobile" }],
    }),
  });
  expect(created.status).toBe(201);
  desktop = await serveDesktop(crmApi.url);
  customer = await openPhone(
    browser,
    harness.url,
    testCredentials(kamailio, SECRET, CUSTOMER_DIALS_FROM, "Клиент"),
  );
});

afterAll(async () => {
  if (process.env.E2E_DEBUG) {
    process.stderr.write(kamailio.log() + crmApi.log());
  }
  await browser?.close();
  await Promise.all([desktop?.close(), harness?.close()]);
  await crmApi?.stop();
  await kamailio?.stop();
});

/** Agent pages of the running test, photographed when it fails. */
let openPages: { name: string; page: Page }[] = [];

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") {
    for (const { name, page } of openPages.filter((p) => !p.page.isClosed())) {
      await screenshot(page, `failed-${ctx.task.name.slice(0, 40)}-${name}`).catch(() => undefined);
    }
  }
  await Promise.all(
    openPages.map(({ page }) =>
      page
        .context()
        .close()
        .catch(() => undefined),
    ),
  );
  openPages = [];
  // The customer's phone outlives the test: leave it idle for the next one.
  for (const line of await customer.lines()) {
    await customer.page.evaluate((id) => window.phone.hangup(id), line.id).catch(() => undefined);
  }
  await customer.waitFor((s) => s.lines.length === 0 || undefined);
});

async function openAgent(login: string): Promise<Page> {
  const page = await openDesktop(browser, desktop.url, login);
  openPages.push({ name: login, page });
  await page
    .locator('[data-testid="softphone-status"][data-status="registered"]')
    .waitFor({ timeout: 20_000 });
  return page;
}

/** What agent-desktop/src/calls/popTiming.ts exposes for this measurement. */
interface OknoWindow {
  __okno?: { popTimings: { key: string; origin: "cti" | "sip"; ms: number }[] };
}

const softphone = (page: Page) => page.getByTestId("softphone");
const cards = (page: Page) => page.locator("[data-call-key]");

describe("agent desktop with a real softphone", () => {
  it("pops the contact's card on A, then A consults B and completes the warm transfer from the panel", async () => {
    if (notReady) {
      throw new Error(`the journey cannot run: ${notReady}`);
    }
    const [pageA, pageB] = await Promise.all([openAgent("agent1"), openAgent("agent2")]);
    await screenshot(pageA, "20-agent-a-registered");

    await customer.page.evaluate(() => window.phone.dial("101"));
    await expect
      .poll(() => cards(pageA).filter({ hasText: "Клиентова" }).count(), { timeout: 10_000 })
      .toBe(1);
    await screenshot(pageA, "21-agent-a-card-popped");

    await softphone(pageA).getByRole("button", { name: "Ответить" }).click();
    await softphone(pageA).getByTestId("softphone-line-active").waitFor();
    await softphone(pageA).getByLabel("Кому: внутренний или номер").fill("102");
    await softphone(pageA).getByRole("button", { name: "Консультация" }).click();

    await softphone(pageB).getByRole("button", { name: "Ответить" }).click();
    await softphone(pageA).getByRole("button", { name: "Соединить" }).waitFor();
    await screenshot(pageA, "22-agent-a-consulting-b");
    await softphone(pageA).getByRole("button", { name: "Соединить" }).click();

    // B now talks to the customer: the softphone shows the customer's line and a card pops for the number.
    // (The contact is agent1's: agent2's scope shows its owner, not its details, until the handover shares it.)
    await softphone(pageB)
      .getByTestId("softphone-line-active")
      .filter({ hasText: "+7 (912) 345-67-89" })
      .waitFor();
    await expect
      .poll(() => cards(pageB).filter({ hasText: "+7 (912) 345-67-89" }).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => softphone(pageA).locator("[data-line-id]").count()).toBe(0);
    await screenshot(pageB, "23-agent-b-after-warm-transfer");

    const [cLine] = await customer.lines();
    await customer.page.evaluate((id) => window.phone.hangup(id), cLine!.id);
    await softphone(pageB).locator("[data-line-id]").waitFor({ state: "detached" });
    await Promise.all([pageA.context().close(), pageB.context().close()]);
  });

  it("pops the card from the CTI `call` push before the INVITE, and the INVITE adds no second card", async () => {
    if (notReady) {
      throw new Error(`the journey cannot run: ${notReady}`);
    }
    const pageA = await openAgent("agent1");
    const callId = `e2e:${Date.now()}`;
    await postCallEvents(crmApi.url, crmApi.ctiToken, [ringing(callId, "+79123456789", "101")]);
    await expect
      .poll(() => cards(pageA).filter({ hasText: "Клиентова" }).count(), { timeout: 5_000 })
      .toBe(1);
    const timings = await pageA.evaluate(() => (window as unknown as OknoWindow).__okno?.popTimings ?? []);
    const cti = timings.find((timing) => timing.origin === "cti");
    expect(cti, JSON.stringify(timings)).toBeDefined();
    // Target ≤ 100 ms from the socket message to the painted card; the figure goes to the run's log.
    process.stdout.write(`pop timing (call message → card visible): ${cti!.ms} ms\n`);
    expect(cti!.ms).toBeLessThan(500);

    // The PBX now delivers the INVITE for the same call, tagged with our call id.
    await customer.page.evaluate((id) => window.phone.dial("101", [`X-Okno-Call-Id: ${id}`]), callId);
    await softphone(pageA).getByTestId("softphone-line-incoming").waitFor();
    await pageA.waitForTimeout(1000);
    expect(await cards(pageA).count()).toBe(1);
    await screenshot(pageA, "24-cti-card-with-ringing-softphone");

    await softphone(pageA).getByRole("button", { name: "Отклонить" }).click();
    await expect.poll(async () => (await customer.lines()).length).toBe(0);
    await pageA.context().close();
  });
});
