import { randomUUID } from "node:crypto";
import type { CallEvent } from "@okno/contracts";
import dayjs from "dayjs";
import "dayjs/locale/ru";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiAs } from "../src/apiAs.ts";
import { screenshot } from "../src/artifacts.ts";
import type { RunningCrmApi } from "../src/crmApi.ts";
import { postCallEvents, ringing } from "../src/ctiEvents.ts";
import { openDesktop } from "../src/desktop.ts";
import type { DesktopServer } from "../src/desktop.ts";
import type { HarnessServer } from "../src/harnessServer.ts";
import type { RunningKamailio } from "../src/kamailio.ts";
import { openPhone, testCredentials } from "../src/phonePage.ts";
import type { PhonePage } from "../src/phonePage.ts";
import { startDesktopStage, type DesktopStage } from "../src/stage.ts";

// A client on the line asks to be called back a little later; agent1 schedules it from the call's card for
// the next minute; when crm-api's reminder comes, the popup offers «Позвонить», and one click rings the
// client's own phone (a bare SIP.js page registered to Kamailio under the client's E.164 number, which is
// what the desktop dials).
const SECRET = "e2e-callback-ephemeral-secret-0123";
const CLIENT = "+79161234567";
const CLIENT_SHOWN = "+7 (916) 123-45-67";
const NOTE = "Уточнить размеры кухни";

let stage: DesktopStage;
let kamailio: RunningKamailio;
let crmApi: RunningCrmApi;
let desktop: DesktopServer;
let harness: HarnessServer;
let browser: Browser;
let client: PhonePage;
let agentPage: Page | undefined;

beforeAll(async () => {
  stage = await startDesktopStage(SECRET, async (api) => {
    const agent1 = await apiAs(api.url, "agent1");
    const created = await agent1("/contacts", {
      method: "POST",
      body: JSON.stringify({
        lastName: "Перезвонова",
        firstName: "Анна",
        phones: [{ phone: CLIENT, kind: "mobile" }],
      }),
    });
    expect(created.status).toBe(201);
  });
  ({ kamailio, crmApi, desktop, harness, browser } = stage);
  client = await openPhone(browser, harness.url, testCredentials(kamailio, SECRET, CLIENT, "Клиент"));
});

afterAll(async () => {
  await stage?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && agentPage && !agentPage.isClosed()) {
    await screenshot(agentPage, "failed-callback-reminder").catch(() => undefined);
  }
});

/** The rest of the client's call as the PBX reports it: agent1 answers, later the call ends. */
function answered(callId: string): CallEvent {
  return {
    id: randomUUID(),
    callId,
    at: new Date().toISOString(),
    pbx: "e2e",
    type: "call.answered",
    agentExt: "101",
  };
}

function completed(callId: string): CallEvent {
  return {
    id: randomUUID(),
    callId,
    at: new Date().toISOString(),
    pbx: "e2e",
    type: "call.ended",
    cause: "completed",
  };
}

/**
 * The start of the next minute: the form takes hours and minutes. Should it pass while the form is being
 * filled in, crm-api sends the reminder at once (anything under five minutes late still goes).
 */
function nextMinute(): Date {
  return dayjs().add(1, "minute").startOf("minute").toDate();
}

describe("callback reminder", () => {
  it(
    "reminds the agent at the time they scheduled, and «Позвонить» rings the client",
    { timeout: 150_000 },
    async () => {
      const page = await openDesktop(browser, desktop.url, "agent1");
      agentPage = page;
      await page.locator('[data-socket="open"]').waitFor({ timeout: 10_000 });
      await page
        .locator('[data-testid="softphone-status"][data-status="registered"]')
        .waitFor({ timeout: 20_000 });

      const callId = `e2e-callback:${Date.now()}`;
      await postCallEvents(crmApi.url, crmApi.ctiToken, [ringing(callId, CLIENT, "101")]);
      const card = page.locator("[data-call-key]").filter({ hasText: "Перезвонова" });
      await card.waitFor({ timeout: 10_000 });
      await postCallEvents(crmApi.url, crmApi.ctiToken, [answered(callId)]);
      await card.getByText("Разговор").waitFor();

      await card.getByRole("button", { name: "Запланировать перезвон" }).click();
      const form = page.getByRole("form", { name: "Перезвонить клиенту" });
      const due = nextMinute();
      await form.getByLabel(/^Дата/).click();
      // The calendar names its days as Russians say them («5 декабря 2025»).
      await page
        .getByRole("button", { name: dayjs(due).locale("ru").format("D MMMM YYYY"), exact: true })
        .click();
      await form.getByLabel("Часы").fill(dayjs(due).format("HH"));
      await form.getByLabel("Минуты").fill(dayjs(due).format("mm"));
      await form.getByLabel("Заметка").fill(NOTE);
      await screenshot(page, "50-callback-form");
      await form.getByRole("button", { name: "Запланировать" }).click();
      await form.waitFor({ state: "detached" });
      await postCallEvents(crmApi.url, crmApi.ctiToken, [completed(callId)]);

      const reminder = page.getByTestId("callback-reminder");
      await reminder.waitFor({ timeout: Math.max(0, due.getTime() - Date.now()) + 30_000 });
      const text = (await reminder.textContent()) ?? "";
      expect(text).toContain("Пора перезвонить");
      expect(text).toContain("Перезвонова Анна");
      expect(text).toContain(CLIENT_SHOWN);
      expect(text).toContain(NOTE);
      // Not before the promised time (the reminder job runs every few seconds after it).
      expect(Date.now()).toBeGreaterThanOrEqual(due.getTime());
      await screenshot(page, "51-callback-reminder");

      await reminder.getByRole("button", { name: "Позвонить" }).click();
      const ringingAtClient = await client.waitFor(
        (s) => s.lines.find((line) => line.status === "incoming"),
        15_000,
      );
      expect(ringingAtClient.number).toBe("101");
      await expect.poll(() => reminder.count()).toBe(0);
      await screenshot(page, "52-calling-the-client-back");

      await client.page.evaluate((id) => window.phone.hangup(id), ringingAtClient.id);
      await client.waitFor((s) => s.lines.length === 0 || undefined);
      await page.context().close();
    },
  );
});
