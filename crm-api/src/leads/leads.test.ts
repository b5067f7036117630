import type { Lead } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompany, buildLead } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

type Page<T> = { items: T[]; nextCursor: string | null };
type ErrorResponse = { error: { code: string; fields: Record<string, string> } };

describe("leads", () => {
  let t: TestApp;
  let yandex: string;
  let campaign: string;
  beforeAll(async () => {
    t = await startTestApp();
    const [source] = await t.db
      .knex("sources")
      .insert({ name: "Яндекс.Директ", utm_source: "yandex" })
      .returning<{ id: string }[]>("id");
    yandex = source!.id;
    const [row] = await t.db
      .knex("campaigns")
      .insert({ source_id: yandex, name: "Контекст — кухни", utm_campaign: "kitchens" })
      .returning<{ id: string }[]>("id");
    campaign = row!.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (login: TestLogin, query: Record<string, string>) => {
    const res = await t.app.inject({ url: "/api/v1/leads", query, headers: t.as(login) });
    expect(res.statusCode).toBe(200);
    return res.json<Page<Lead>>();
  };
  const countLeads = async () => Number((await t.db.knex("leads").count<{ n: number }[]>("* as n"))[0]!.n);

  it("stores a lead from an advert with its UTM tags, phone in E.164 and amount in kopecks", async () => {
    const lead = await buildLead(t, "agent1", {
      title: "Заявка с сайта: кухня угловая",
      contactName: "Соколова Елена Викторовна",
      companyName: "ООО «Уют»",
      companyInn: "7707083893",
      phone: "8 (926) 555-12-34",
      email: "Sokolova@Mail.RU",
      amount: 18_990_000,
      sourceId: yandex,
      campaignId: campaign,
      utmSource: "yandex",
      utmMedium: "cpc",
      utmCampaign: "kitchens",
      utmTerm: "угловая кухня",
    });
    expect(lead).toMatchObject({
      status: "new",
      phone: "+79265551234",
      email: "sokolova@mail.ru",
      amount: 18_990_000,
      companyInn: "7707083893",
      sourceId: yandex,
      campaignId: campaign,
      utmTerm: "угловая кухня",
      ownerId: t.org.users.agent1.id,
      dealId: null,
      convertedAt: null,
    });
    const read = await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers: t.as("agent1") });
    expect(read.json()).toEqual(lead);
  });

  describe("validation", () => {
    it.each([
      [{ title: "Заявка", companyInn: "7707083894" }, "body.companyInn"],
      [{ title: "Заявка", phone: "не телефон" }, "body.phone"],
      [{ title: "Заявка", amount: 10.5 }, "body.amount"],
      [{ title: "Заявка", status: "converted" }, "body.status"],
      [{ title: "Заявка", sourceId: "00000000-0000-4000-8000-000000000000" }, "body.sourceId"],
      [{ title: "Заявка", budget: 100 }, "body"],
      [{ phone: "+79001234567" }, "body.title"],
    ])("rejects %j naming %s, writing nothing", async (payload, field) => {
      const before = await countLeads();
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/leads",
        headers: t.as("agent1"),
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json<ErrorResponse>().error.fields)).toContain(field);
      expect(await countLeads()).toBe(before);
    });

    it("refuses to point a lead at a company the user may not see", async () => {
      const company = await buildCompany(t, "manager1");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/leads",
        headers: t.as("agent1"),
        payload: { title: "Заявка", companyId: company.id },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorResponse>().error.fields).toEqual({
        "body.companyId": "no such company in your scope",
      });
    });
  });

  describe("list", () => {
    beforeAll(async () => {
      await buildLead(t, "agent2", {
        title: "Шкаф-купе",
        contactName: "Никитин Антон",
        phone: "+7 903 777-00-11",
      });
      await buildLead(t, "agent2", {
        title: "Прихожая",
        companyName: "ООО «Стройлес»",
        status: "in_progress",
      });
      await buildLead(t, "agent2", { title: "Спам", status: "junk", sourceId: yandex });
    });

    it("finds a lead by a phone typed with the trunk prefix 8", async () => {
      const page = await list("agent2", { q: "8 903 777" });
      expect(page.items.map((l) => l.title)).toEqual(["Шкаф-купе"]);
    });

    it("finds a lead by words of its title, contact or company name", async () => {
      expect((await list("agent2", { q: "никитин" })).items.map((l) => l.title)).toEqual(["Шкаф-купе"]);
      expect((await list("agent2", { q: "стройлес" })).items.map((l) => l.title)).toEqual(["Прихожая"]);
    });

    it("filters by status and source", async () => {
      expect((await list("agent2", { status: "in_progress" })).items.map((l) => l.title)).toEqual([
        "Прихожая",
      ]);
      expect((await list("agent2", { sourceId: yandex })).items.map((l) => l.title)).toEqual(["Спам"]);
    });

    it("pages newest first with a cursor", async () => {
      const first = await list("agent2", { limit: "2" });
      const second = await list("agent2", { limit: "2", cursor: first.nextCursor! });
      expect(second.nextCursor).toBeNull();
      const items = [...first.items, ...second.items];
      expect(items.map((l) => l.title).sort()).toEqual(["Прихожая", "Спам", "Шкаф-купе"]);
      const times = items.map((l) => Date.parse(l.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });
  });

  describe("scope", () => {
    const own = {} as Record<"manager1" | "manager2" | "agent1", Lead>;
    beforeAll(async () => {
      for (const login of ["manager1", "manager2", "agent1"] as const) {
        own[login] = await buildLead(t, login, { title: `Скоуп ${login}` });
      }
    });
    const visible = async (login: TestLogin) =>
      (await list(login, { q: "скоуп" })).items.map((l) => l.title).sort();

    it("shows managers their own leads, a supervisor the sales department's, an admin all", async () => {
      expect(await visible("manager1")).toEqual(["Скоуп manager1"]);
      expect(await visible("supervisor")).toEqual(["Скоуп manager1", "Скоуп manager2"]);
      expect(await visible("admin")).toEqual(["Скоуп agent1", "Скоуп manager1", "Скоуп manager2"]);
    });

    it("forbids reading, changing or deleting a lead outside the scope", async () => {
      const url = `/api/v1/leads/${own.agent1.id}`;
      const read = await t.app.inject({ url, headers: t.as("supervisor") });
      const change = await t.app.inject({
        method: "PATCH",
        url,
        headers: t.as("manager1"),
        payload: { status: "junk" },
      });
      const del = await t.app.inject({ method: "DELETE", url, headers: t.as("manager2") });
      expect([read.statusCode, change.statusCode, del.statusCode]).toEqual([403, 403, 403]);
      const after = await t.app.inject({ url, headers: t.as("agent1") });
      expect(after.json()).toMatchObject({ status: "new" });
    });
  });

  it("updates status and fields, and deletes a lead", async () => {
    const lead = await buildLead(t, "manager1");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      headers: t.as("manager1"),
      payload: { status: "in_progress", amount: 5_000_000, note: "Перезвонить в пятницу", email: null },
    });
    expect(res.json()).toMatchObject({
      status: "in_progress",
      amount: 5_000_000,
      note: "Перезвонить в пятницу",
    });
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/leads/${lead.id}`,
      headers: t.as("manager1"),
    });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers: t.as("manager1") });
    expect(gone.statusCode).toBe(404);
  });
});
