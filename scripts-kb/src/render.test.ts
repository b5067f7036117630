import { formatPhone } from "@okno/contracts";
import { describe, expect, it } from "vitest";
import { BLANK, placeholdersOf, renderParts, renderText } from "./render.ts";

const card = {
  contact: {
    firstName: "Анна",
    lastName: null,
    birthday: "1990-03-08",
    fields: { budget: 250000, vip: true, tags: ["кухня", "шкаф"] },
  },
  deal: { amount: 15_000_050, expectedCloseDate: "2026-12-01", createdAt: "2026-11-23T09:05:00.000Z" },
  company: { phone: "+74951234567" },
};

// Intl puts no-break spaces between digit groups and before ₽; compare them as plain spaces.
const plain = (s: string) => s.replace(/\s/gu, " ");

describe("renderText", () => {
  it("fills placeholders from the card in Russian formats", () => {
    expect(
      plain(renderText("{contact.firstName}, сумма {deal.amount} до {deal.expectedCloseDate}", card)),
    ).toBe("Анна, сумма 150 000,50 ₽ до 01.12.2026");
    expect(
      plain(renderText("{contact.fields.budget} / {contact.fields.vip} / {contact.fields.tags}", card)),
    ).toBe("250 000 / да / кухня, шкаф");
    expect(renderText("{company.phone}", card)).toBe(formatPhone("+74951234567"));
    expect(renderText("{deal.createdAt}", card)).toBe("23.11.2026, 12:05");
  });

  it("shows a visible blank for missing values, never undefined or null", () => {
    const text = renderText("{contact.lastName} {lead.title} {deal.nothing.deeper} {agent.firstName}", card);
    expect(text).toBe([BLANK, BLANK, BLANK, BLANK].join(" "));
    expect(text).not.toMatch(/undefined|null/);
  });

  it("splits text into parts the screen can highlight", () => {
    expect(renderParts("Привет, {contact.firstName}!", card)).toEqual([
      { text: "Привет, " },
      { placeholder: "contact.firstName", value: "Анна" },
      { text: "!" },
    ]);
  });

  it("does not read inherited properties", () => {
    expect(renderText("{contact.constructor}", card)).toBe(BLANK);
  });

  it("lists the placeholders a text uses once each", () => {
    expect(placeholdersOf("{a.b} {c.d} {a.b} {not a placeholder}")).toEqual(["a.b", "c.d"]);
  });
});
