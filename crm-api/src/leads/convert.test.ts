import type { Contact, Lead, LeadConversion, Pipeline } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompany, buildContact, buildLead, buildPipeline, uniqueInn } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { splitPersonName } from "./convert.ts";

describe("lead conversion", () => {
  let t: TestApp;
  let main: Pipeline;
  let other: Pipeline;
  let yandex: string;
  beforeAll(async () => {
    t = await startTestApp();
    main = await buildPipeline(t, { name: "Продажи", isDefault: true });
    other = await buildPipeline(t, { name: "Сервис" });
    const [source] = await t.db
      .knex("sources")
      .insert({ name: "Яндекс.Директ" })
      .returning<{ id: string }[]>("id");
    yandex = source!.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const convert = (login: TestLogin, lead: Lead, payload: object = {}) =>
    t.app.inject({ method: "POST", url: `/api/v1/leads/${lead.id}/convert`, headers: t.as(login), payload });
  const counts = async () => {
    const n = async (table: string) =>
      Number((await t.db.knex(table).count<{ n: number }[]>("* as n"))[0]!.n);
    return { contacts: await n("contacts"), companies: await n("companies"), deals: await n("deals") };
  };
  const contact = async (id: string) =>
    (await t.app.inject({ url: `/api/v1/contacts/${id}`, headers: t.as("admin") })).json<Contact>();

  it("creates the contact, the company and the deal, and marks the lead converted", async () => {
    const inn = uniqueInn();
    const lead = await buildLead(t, "manager1", {
      title: "Кухня для офиса",
      contactName: "Кузнецова Ирина Павловна",
      phone: "+7 903 100-20-30",
      email: "i.kuznetsova@example.ru",
      companyName: "ООО «Северный ветер»",
      companyInn: inn,
      amount: 42_000_000,
      sourceId: yandex,
    });
    const res = await convert("manager1", lead);
    expect(res.statusCode).toBe(201);
    const result = res.json<LeadConversion>();
    expect(result).toMatchObject({
      createdContact: true,
      createdCompany: true,
      deal: {
        title: "Кухня для офиса",
        amount: 42_000_000,
        pipelineId: main.id,
        stageId: main.stages[0]!.id,
        leadId: lead.id,
        sourceId: yandex,
        ownerId: t.org.users.manager1.id,
        contactId: result.contactId,
        companyId: result.companyId,
      },
    });
    expect(await contact(result.contactId!)).toMatchObject({
      fullName: "Кузнецова Ирина Павловна",
      lastName: "Кузнецова",
      phones: [{ phone: "+79031002030" }],
      emails: [{ email: "i.kuznetsova@example.ru" }],
      companies: [{ id: result.companyId, name: "ООО «Северный ветер»" }],
      ownerId: t.org.users.manager1.id,
      sourceId: yandex,
    });
    const company = await t.app.inject({
      url: `/api/v1/companies/${result.companyId}`,
      headers: t.as("manager1"),
    });
    expect(company.json()).toMatchObject({ inn, ownerId: t.org.users.manager1.id });
    const after = await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers: t.as("manager1") });
    expect(after.json()).toMatchObject({
      status: "converted",
      dealId: result.deal.id,
      contactId: result.contactId,
      companyId: result.companyId,
      convertedAt: expect.any(String),
    });
  });

  it("reuses the contact found by a phone written differently and the company found by ИНН", async () => {
    const inn = uniqueInn();
    const company = await buildCompany(t, "manager2", { name: "АО «Полярная звезда»", inn });
    const person = await buildContact(t, "manager2", {
      lastName: "Орлов",
      firstName: "Денис",
      phones: [{ phone: "+7 (903) 200-30-40" }],
    });
    const lead = await buildLead(t, "manager2", {
      contactName: "Денис",
      phone: "8 903 2003040",
      companyName: "Полярная Звезда (новое название)",
      companyInn: inn,
    });
    const before = await counts();
    const result = (
      await convert("manager2", lead, { title: "Мебель в переговорную", amount: 990_000 })
    ).json<LeadConversion>();
    expect(result).toMatchObject({
      contactId: person.id,
      companyId: company.id,
      createdContact: false,
      createdCompany: false,
      deal: { title: "Мебель в переговорную", amount: 990_000 },
    });
    expect(await counts()).toEqual({ ...before, deals: before.deals + 1 });
    expect((await contact(person.id)).companies).toEqual([{ id: company.id, name: "АО «Полярная звезда»" }]);
  });

  it("falls back to the e-mail for the contact and to the name, ignoring case, for the company", async () => {
    const company = await buildCompany(t, "manager1", { name: "ООО «Лесоторг»", inn: null });
    const person = await buildContact(t, "manager1", {
      firstName: "Глеб",
      emails: [{ email: "gleb@lesotorg.ru" }],
    });
    const lead = await buildLead(t, "manager1", {
      phone: "+7 903 300-40-50",
      email: "GLEB@lesotorg.ru",
      companyName: "ооо «ЛЕСОТОРГ»",
    });
    const result = (await convert("manager1", lead)).json<LeadConversion>();
    expect(result).toMatchObject({ contactId: person.id, companyId: company.id, createdContact: false });
  });

  it("puts the deal in the pipeline and stage asked for", async () => {
    const lead = await buildLead(t, "manager1");
    const stageId = other.stages[1]!.id;
    const result = (
      await convert("manager1", lead, { pipelineId: other.id, stageId })
    ).json<LeadConversion>();
    expect(result.deal).toMatchObject({ pipelineId: other.id, stageId });
  });

  it("answers 409 to a second conversion, keeping the single deal", async () => {
    const lead = await buildLead(t, "manager1");
    expect((await convert("manager1", lead)).statusCode).toBe(201);
    const again = await convert("manager1", lead);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: "conflict" } });
    expect(await t.db.knex("deals").where("lead_id", lead.id)).toHaveLength(1);
  });

  it("writes nothing when the conversion fails midway on a stage of another pipeline", async () => {
    const lead = await buildLead(t, "manager1", {
      contactName: "Новиков Сергей",
      companyName: "ООО «Нигде»",
      companyInn: uniqueInn(),
    });
    const before = await counts();
    const res = await convert("manager1", lead, { pipelineId: main.id, stageId: other.stages[0]!.id });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { fields: { "body.stageId": "stage of another pipeline" } } });
    expect(await counts()).toEqual(before);
    expect(await t.db.knex("contact_phones").where("phone", lead.phone).first()).toBeUndefined();
    const after = await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers: t.as("manager1") });
    expect(after.json()).toMatchObject({ status: "new", dealId: null, contactId: null, companyId: null });
  });

  it("forbids converting a lead outside the user's scope", async () => {
    const lead = await buildLead(t, "agent1");
    const res = await convert("manager1", lead);
    expect(res.statusCode).toBe(403);
    expect(await t.db.knex("deals").where("lead_id", lead.id).first()).toBeUndefined();
  });

  it("keeps a converted lead's status", async () => {
    const lead = await buildLead(t, "manager1");
    await convert("manager1", lead);
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      headers: t.as("manager1"),
      payload: { status: "new" },
    });
    expect(res.statusCode).toBe(409);
  });

  it.each([
    ["Петров Пётр Петрович", { lastName: "Петров", firstName: "Пётр", middleName: "Петрович" }],
    ["Анна Смирнова", { firstName: "Анна Смирнова" }],
    ["Олег", { firstName: "Олег" }],
  ])("splits %s into the parts of a Russian name only when it has all three", (name, parts) => {
    expect(splitPersonName(name)).toEqual(parts);
  });
});
