import type { Role } from "@okno/contracts";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiAs, type ApiClient } from "../src/apiAs.ts";
import { screenshot } from "../src/artifacts.ts";
import { openDesktop, type DesktopServer } from "../src/desktop.ts";
import type { HarnessServer } from "../src/harnessServer.ts";
import type { RunningKamailio } from "../src/kamailio.ts";
import { openPhone, testCredentials, type PhonePage } from "../src/phonePage.ts";
import { startDesktopStage, type DesktopStage } from "../src/stage.ts";

// The agent's whole warm transfer on a PBX without a CTI bridge (Kamailio): the desktops report their own
// legs to crm-api, A's consult INVITE carries the call id to B, A's note reaches B's card before the
// customer does, and the client's timeline shows one call with both agents. The contact was typed in
// 8-format; the customer's phone presents +7.
const SECRET = "e2e-warm-transfer-secret-012345";
const CUSTOMER = "+79161234567";
const STORED_AS = "8 (916) 123-45-67";
const CLIENT = "Воронова Елена";
const NOTE = "Хочет кухню до конца месяца, замер в субботу уже согласован";

let stage: DesktopStage;
let kamailio: RunningKamailio;
let desktop: DesktopServer;
let harness: HarnessServer;
let browser: Browser;
let customer: PhonePage;
let admin: ApiClient;
let contactId: string;
const pages: { name: string; page: Page }[] = [];

/** The call centre shares its clients: agents see their department's contacts (the default is own). */
async function shareContactsInDepartment(api: ApiClient): Promise<void> {
  const roles = (await (await api("/roles")).json()) as Role[];
  const agent = roles.find((r) => r.code === "agent")!;
  const permissions = {
    ...agent.permissions,
    scopes: { ...agent.permissions.scopes, contacts: "department" },
  };
  const res = await api("/roles/agent", { method: "PATCH", body: JSON.stringify({ permissions }) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  stage = await startDesktopStage(SECRET, async (api) => {
    admin = await apiAs(api.url, "admin");
    await shareContactsInDepartment(admin);
    const agent1 = await apiAs(api.url, "agent1");
    const created = await agent1("/contacts", {
      method: "POST",
      body: JSON.stringify({
        lastName: "Воронова",
        firstName: "Елена",
        phones: [{ phone: STORED_AS, kind: "mobile" }],
      }),
    });
    expect(created.status).toBe(201);
    contactId = ((await created.json()) as { id: string }).id;
  });
  ({ kamailio, desktop, harness, browser } = stage);
  customer = await openPhone(browser, harness.url, testCredentials(kamailio, SECRET, CUSTOMER, "Клиент"));
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") {
    for (const { name, page } of pages.filter((p) => !p.page.isClosed())) {
      await screenshot(page, `failed-warm-transfer-${name}`).catch(() => undefined);
    }
  }
});

afterAll(async () => {
  await stage?.stop();
});

async function openAgent(login: string): Promise<Page> {
  const page = await openDesktop(browser, desktop.url, login);
  pages.push({ name: login, page });
  await page.locator('[data-socket="open"]').waitFor({ timeout: 15_000 });
  await page
    .locator('[data-testid="softphone-status"][data-status="registered"]')
    .waitFor({ timeout: 20_000 });
  return page;
}

const softphone = (page: Page) => page.getByTestId("softphone");
const clientCard = (page: Page): Locator => page.locator("[data-call-key]").filter({ hasText: CLIENT });
/** The card shows «по SIP» until crm-api's push for the call the desktop reported arrives. */
const untilKnownToCrm = (card: Locator) =>
  card.getByText("по SIP").waitFor({ state: "detached", timeout: 15_000 });

describe("warm transfer with the card, no CTI bridge", () => {
  it("A takes the call, consults B with a note, hands the client over; B wraps up; the timeline shows both", async () => {
    const [pageA, pageB] = await Promise.all([openAgent("agent1"), openAgent("agent2")]);

    // The customer calls A: the card pops with the contact stored in another format.
    await customer.page.evaluate(() => window.phone.dial("101"));
    await clientCard(pageA).waitFor({ timeout: 10_000 });
    await expect.poll(() => pageA.locator("[data-call-key]").count()).toBe(1);
    await screenshot(pageA, "40-warm-a-card-popped");
    await softphone(pageA).getByRole("button", { name: "Ответить" }).click();
    await softphone(pageA).getByTestId("softphone-line-active").waitFor();
    await untilKnownToCrm(clientCard(pageA));

    // A consults B: B's card is about A's client, not about extension 101.
    await softphone(pageA).getByLabel("Кому: внутренний или номер").fill("102");
    await softphone(pageA).getByRole("button", { name: "Консультация" }).click();
    const consultCard = pageB.locator("[data-call-key]").filter({ hasText: "Звонок передаёт" });
    await consultCard.getByText("Смирнова Анна Павловна, внутр. 101").waitFor({ timeout: 10_000 });
    await softphone(pageB).getByRole("button", { name: "Ответить" }).click();
    await softphone(pageA).getByRole("button", { name: "Соединить" }).waitFor();

    // A's note, typed on A's card during the consultation, lands on B's card with the client.
    await clientCard(pageA).getByLabel("Записка для 102").fill(NOTE);
    await clientCard(pageA).getByRole("button", { name: "Передать записку" }).click();
    await clientCard(pageA).getByText("Записка передана").waitFor();
    await screenshot(pageA, "41-warm-a-consulting-with-note");
    const cardB = clientCard(pageB);
    await cardB.getByTestId("handover-note").getByText(NOTE).waitFor({ timeout: 10_000 });
    await cardB.getByRole("heading", { name: CLIENT }).waitFor();
    await screenshot(pageB, "42-warm-b-card-with-note");

    // A completes the transfer: B talks to the customer on the same card; A's card closes into the wrap-up.
    await softphone(pageA).getByRole("button", { name: "Соединить" }).click();
    await softphone(pageB)
      .getByTestId("softphone-line-active")
      .filter({ hasText: "+7 (916) 123-45-67" })
      .waitFor();
    await expect.poll(() => softphone(pageA).locator("[data-line-id]").count()).toBe(0);
    await clientCard(pageA).getByText("Завершён").waitFor();
    await clientCard(pageA).getByRole("button", { name: "Сохранить итог" }).waitFor({ timeout: 15_000 });
    await screenshot(pageA, "43-warm-a-wrap-up-after-transfer");
    expect(await pageB.locator("[data-call-key]").count()).toBe(1);
    await cardB.getByText("Разговор").waitFor();
    await cardB.getByTestId("handover-note").getByText(NOTE).waitFor();
    await untilKnownToCrm(cardB);
    await screenshot(pageB, "44-warm-b-talking-to-the-client");

    // B hangs up and records the outcome on the card.
    await softphone(pageB).getByRole("button", { name: "Завершить" }).click();
    await expect.poll(async () => (await customer.lines()).length, { timeout: 10_000 }).toBe(0);
    await cardB.getByLabel("Результат").fill("Записана на замер в субботу");
    await cardB.getByRole("button", { name: "Сохранить итог" }).click();
    await cardB.getByText("Итог сохранён: Записана на замер в субботу").waitFor({ timeout: 10_000 });
    await screenshot(pageB, "45-warm-b-wrap-up-saved");

    // The client's timeline: one call, taken by A and then B after a warm transfer, and A's note.
    await cardB.getByRole("link", { name: "Открыть карточку" }).click();
    const agents = pageB.getByTestId("call-agents");
    await agents
      .filter({ hasText: "Смирнова Анна Павловна (101) → Никитин Артём Олегович (102)" })
      .waitFor({ timeout: 15_000 });
    expect(await agents.count()).toBe(1);
    await expect.poll(() => agents.textContent()).toContain("перевод с консультацией");
    await pageB.getByText(NOTE).first().waitFor();
    await screenshot(pageB, "46-warm-contact-timeline-both-legs");

    const timeline = (await (await admin(`/contacts/${contactId}/timeline?channel=call`)).json()) as {
      items: {
        callId: string | null;
        result: string | null;
        payload: { call: { legs: Record<string, { agentExt: string }> } };
      }[];
    };
    expect(timeline.items).toHaveLength(1);
    expect(timeline.items[0]!.callId).toMatch(/^sip:/);
    expect(timeline.items[0]!.result).toBe("completed");
    const exts = Object.values(timeline.items[0]!.payload.call.legs).map((leg) => leg.agentExt);
    expect(exts.sort()).toEqual(["101", "102"]);
  });
});
