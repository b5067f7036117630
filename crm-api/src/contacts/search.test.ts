import type { Contact } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompany, buildContact, uniqueInn } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

describe("contact search", () => {
  let t: TestApp;
  let olga: Contact;
  let petr: Contact;
  let inn: string;
  beforeAll(async () => {
    t = await startTestApp();
    inn = uniqueInn();
    const company = await buildCompany(t, "admin", { name: "ООО «Поиск»", inn });
    olga = await buildContact(t, "admin", {
      lastName: "Соколова",
      firstName: "Ольга",
      middleName: "Игоревна",
      phones: [{ phone: "+7 912 345-67-89" }],
      emails: [{ email: "olga.sokolova@example.ru" }],
      companyIds: [company.id],
    });
    petr = await buildContact(t, "admin", {
      lastName: "Петров",
      firstName: "Пётр",
      phones: [{ phone: "+7 495 111-45-67" }],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (q: string) => {
    const res = await t.app.inject({ url: "/api/v1/contacts", query: { q }, headers: t.as("admin") });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Contact[] }>().items.map((c) => c.id);
  };

  it.each([
    ["8 912 345", "the start of the number with the trunk prefix 8"],
    ["+7 912 34", "the start in international form"],
    ["7912345", "the start without a plus"],
    ["345-67", "a fragment from the middle"],
  ])("finds a contact by %s (%s)", async (q) => {
    expect(await search(q)).toEqual([olga.id]);
  });

  it("finds by a fragment shared by several numbers", async () => {
    expect(new Set(await search("4567"))).toEqual(new Set([olga.id, petr.id]));
  });

  it("finds by the ИНН of the contact's company", async () => {
    expect(await search(inn)).toEqual([olga.id]);
  });

  it("finds by e-mail prefix, with or without @", async () => {
    expect(await search("olga.sok")).toEqual([olga.id]);
    expect(await search("olga.sokolova@exa")).toEqual([olga.id]);
  });

  it("finds by every word of the name in any order", async () => {
    expect(await search("ольга соколова")).toEqual([olga.id]);
    expect(await search("Игоревна")).toEqual([olga.id]);
    expect(await search("пётр петров")).toEqual([petr.id]);
    expect(await search("Сидоров")).toEqual([]);
  });
});
