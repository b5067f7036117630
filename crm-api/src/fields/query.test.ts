import type { Contact, FieldDefinitionCreateInput } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact, buildDeal, buildLead, buildPipeline } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

// Filtering and sorting lists by custom fields: each type's comparison, keyset pages, records without a value.
describe("lists filtered and sorted by custom fields", () => {
  let t: TestApp;
  const people: Record<string, Contact> = {};

  const get = (url: string) => t.app.inject({ url: `/api/v1${url}`, headers: t.as("supervisor") });
  const names = async (query: string) => {
    const res = await get(`/contacts?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Contact[] }>().items.map((c) => c.firstName);
  };
  const define = async (input: FieldDefinitionCreateInput) => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/fields",
      headers: t.as("admin"),
      payload: input,
    });
    expect(res.statusCode, res.body).toBe(201);
  };

  beforeAll(async () => {
    t = await startTestApp();
    const contactField = (key: string, type: FieldDefinitionCreateInput["type"], extra = {}) =>
      define({ entity: "contacts", key, label: key, type, ...extra });
    await contactField("area", "number");
    await contactField("city", "string");
    await contactField("measured_on", "date");
    await contactField("call_at", "datetime");
    await contactField("vip", "boolean");
    await contactField("extras", "multi-enum", {
      options: [
        { value: "sink", label: "Мойка" },
        { value: "oven", label: "Духовка" },
      ],
    });
    await contactField("scan", "file");
    const rows: [string, Record<string, unknown>][] = [
      [
        "Анна",
        { area: 12.5, city: "Казань", measured_on: "2026-11-02", vip: true, extras: ["sink", "oven"] },
      ],
      ["Борис", { area: 6, city: "Москва", measured_on: "2026-11-20", call_at: "2026-11-20T10:00:00+03:00" }],
      ["Вера", { area: 9, city: "казань", vip: false, extras: ["oven"] }],
      ["Глеб", { area: -1, call_at: "2026-11-20T08:30:00Z" }],
      ["Дарья", {}],
    ];
    for (const [firstName, fields] of rows) {
      people[firstName] = await buildContact(t, "manager1", { firstName, fields });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ["f.city=Казань", ["Анна"]],
    ["f.vip=true", ["Анна"]],
    ["f.vip=false", ["Вера"]],
    ["f.extras=oven", ["Анна", "Вера"]],
    ["f.area=9", ["Вера"]],
    ["f.area.gte=6&f.area.lte=10", ["Борис", "Вера"]],
    ["f.area.lte=0", ["Глеб"]],
    ["f.measured_on.gte=2026-11-10", ["Борис"]],
    ["f.measured_on=2026-11-02", ["Анна"]],
    // 08:30 UTC = 11:30 Moscow: later than Борис's 10:00 Moscow.
    ["f.call_at.gte=2026-11-20T11:00:00%2B03:00", ["Глеб"]],
    ["f.call_at=2026-11-20T07:00:00Z", ["Борис"]],
    ["f.city=Казань&f.extras=oven", ["Анна"]],
  ])("%s finds %j", async (query, expected) => {
    expect((await names(`${query}&sort=name`)).sort()).toEqual(expected);
  });

  // Records without a value tie (their order among themselves is by id): `tied` are compared as a set.
  it.each([
    ["sort=f.area", ["Дарья"], ["Глеб", "Борис", "Вера", "Анна"]],
    ["sort=-f.area", ["Дарья"], ["Анна", "Вера", "Борис", "Глеб"]],
    ["sort=f.measured_on", ["Вера", "Глеб", "Дарья"], ["Анна", "Борис"]],
    ["sort=-f.call_at", ["Анна", "Вера", "Дарья"], ["Глеб", "Борис"]],
    ["sort=f.vip", ["Борис", "Глеб", "Дарья"], ["Вера", "Анна"]],
  ])("%s puts records without a value lowest (%j) and orders the rest %j", async (query, tied, ordered) => {
    const sorted = await names(query);
    const isDesc = query.startsWith("sort=-");
    const head = isDesc ? sorted.slice(0, ordered.length) : sorted.slice(tied.length);
    const tail = isDesc ? sorted.slice(ordered.length) : sorted.slice(0, tied.length);
    expect(head).toEqual(ordered);
    expect(new Set(tail)).toEqual(new Set(tied));
  });

  it("pages through a custom-field sort with keyset cursors, across ties, none skipped or repeated", async () => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/contacts?sort=f.city&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ items: Contact[]; nextCursor: string | null }>();
      pages.push(body.items.map((c) => c.firstName));
      cursor = body.nextCursor;
    } while (cursor);
    // No city, then «Казань» and «казань» (the same ignoring case), then «Москва».
    expect(pages.map((p) => new Set(p))).toEqual([
      new Set(["Глеб", "Дарья"]),
      new Set(["Анна", "Вера"]),
      new Set(["Борис"]),
    ]);
  });

  it.each([
    ["f.colour=red", "querystring.f.colour", "unknown field"],
    ["f.area=много", "querystring.f.area", "must be a number"],
    ["f.city.gte=А", "querystring.f.city.gte", "ranges apply to number, money, date and datetime fields"],
    ["f.extras=dishwasher", "querystring.f.extras", "must be one of: sink, oven"],
    ["f.vip=да", "querystring.f.vip", "must be true or false"],
    ["f.measured_on.lte=20.11.2026", "querystring.f.measured_on.lte", "must be a date YYYY-MM-DD"],
    ["f.scan=x", "querystring.f.scan", "file fields cannot be filtered"],
    ["f.city=", "querystring.f.city", "a value is required"],
    ["sort=f.colour", "querystring.sort", "unknown field colour"],
    ["sort=f.extras", "querystring.sort", "multi-enum fields cannot be sorted"],
    ["colour=red", "querystring.colour", "unknown parameter"],
  ])("answers 400 to %s naming %s", async (query, field, reason) => {
    const res = await get(`/contacts?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ [field]: reason });
  });

  it("filters and sorts deals, leads and companies the same way", async () => {
    await buildPipeline(t, { isDefault: true });
    await define({ entity: "deals", key: "floor", label: "Этаж", type: "number" });
    await define({
      entity: "leads",
      key: "channel",
      label: "Канал",
      type: "enum",
      options: [{ value: "avito", label: "Авито" }],
    });
    await define({ entity: "companies", key: "segment", label: "Сегмент", type: "string" });
    const high = await buildDeal(t, "manager1", { title: "Кухня на 9 этаже", fields: { floor: 9 } });
    const low = await buildDeal(t, "manager1", { title: "Кухня на 2 этаже", fields: { floor: 2 } });
    const deals = (await get("/deals?sort=-f.floor&f.floor.gte=1")).json<{ items: { id: string }[] }>();
    expect(deals.items.map((d) => d.id)).toEqual([high.id, low.id]);
    const lead = await buildLead(t, "manager1", { fields: { channel: "avito" } });
    await buildLead(t, "manager1");
    const leads = (await get("/leads?f.channel=avito")).json<{ items: { id: string }[] }>();
    expect(leads.items.map((l) => l.id)).toEqual([lead.id]);
    const companies = await get("/companies?f.segment=Розница&sort=-f.segment");
    expect(companies.statusCode).toBe(200);
  });
});
