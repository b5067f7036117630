import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs } from "../src/apiAs.ts";
import { screenshot } from "../src/artifacts.ts";
import { launchChromium } from "../src/chromium.ts";
import { startCrmApi } from "../src/crmApi.ts";
import type { RunningCrmApi } from "../src/crmApi.ts";
import { postCallEvents, ringing } from "../src/ctiEvents.ts";
import { ensureDesktopBuilt, openDesktop, serveDesktop } from "../src/desktop.ts";
import type { DesktopServer } from "../src/desktop.ts";

// Issue #6's journey: a call comes in on the main line, which the demo seed assigns the inbound sales
// script to; the script opens by itself on agent1's card; the agent's answers are saved to the call and the
// captured values land in the contact's fields. No softphone here: the CTI push is what opens the card.
const CALLER = "+79161112233";

let crmApi: RunningCrmApi;
let desktop: DesktopServer;
let browser: Browser;

beforeAll(async () => {
  [browser] = await Promise.all([launchChromium(), ensureDesktopBuilt()]);
  // The softphone is not part of this journey: its PBX address leads nowhere, and it just says so.
  crmApi = await startCrmApi({
    sip: {
      wsUrl: "ws://127.0.0.1:9/",
      domain: "okno.test",
      ephemeralSecret: "e2e-script-journey-secret-0123",
    },
    databaseUrl: process.env.DATABASE_URL,
  });
  desktop = await serveDesktop(crmApi.url);
});

afterAll(async () => {
  await browser?.close();
  await desktop?.close();
  await crmApi?.stop();
});

const panel = (page: Page) => page.getByRole("region", { name: "Скрипт" });

describe("call script on the call screen", () => {
  it("opens the line's script on the card, and the answers reach the call and the contact's fields", async () => {
    const page = await openDesktop(browser, desktop.url, "agent1");
    await page.locator('[data-socket="open"]').waitFor({ timeout: 10_000 });
    const callId = `e2e-script:${Date.now()}`;
    await postCallEvents(crmApi.url, crmApi.ctiToken, [ringing(callId, CALLER, "101")]);

    // The script assigned to +7 495 123-45-67 opens by itself, greeting with the agent's name.
    await panel(page)
      .getByText(/Мебельная фабрика «Уют», меня зовут/)
      .waitFor({ timeout: 15_000 })
      .catch(async (error: unknown) => {
        await screenshot(page, "failed-script-did-not-open");
        throw error;
      });
    await screenshot(page, "30-script-opened-on-the-card");
    await panel(page).getByRole("button", { name: "Далее" }).click();
    await panel(page).getByLabel("Как я могу к вам обращаться?").fill("Вероника");
    await panel(page).getByRole("button", { name: "Далее" }).click();
    // The captured name is used in the next line of the script at once.
    await panel(page).getByText("Вероника, что вы хотели бы заказать?").waitFor();
    await panel(page).getByRole("button", { name: "Кухню" }).click();
    await panel(page).getByRole("button", { name: "Согласен" }).click();
    // The custom field's own label («Удобное время замера») names the input under the script's question.
    await panel(page).getByText("Когда дизайнеру удобно приехать?").waitFor();
    await panel(page).getByLabel("Удобное время замера").fill("в субботу после 10");
    await panel(page).getByRole("button", { name: "Далее" }).click();
    await panel(page).getByText("Скрипт пройден: Успех").waitFor();
    await panel(page)
      .getByText(/Ответы сохранены/)
      .waitFor({ timeout: 10_000 });
    await screenshot(page, "31-script-finished-and-saved");

    // What a colleague opening this client later sees: the captured values on the contact.
    const agent1 = await apiAs(crmApi.url, "agent1");
    const found = (await (await agent1(`/contacts/lookup?phone=${encodeURIComponent(CALLER)}`)).json()) as {
      contact: { id: string } | null;
    };
    expect(found.contact).not.toBeNull();
    const contact = (await (await agent1(`/contacts/${found.contact!.id}`)).json()) as {
      firstName: string;
      fields: Record<string, unknown>;
    };
    expect(contact.firstName).toBe("Вероника");
    expect(contact.fields.measure_time).toBe("в субботу после 10");
    await page.context().close();
  });
});
