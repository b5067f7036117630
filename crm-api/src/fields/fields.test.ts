import type { Contact, FieldDefinition, FieldDefinitionCreateInput } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

// The whole life of a custom field on contacts, in order: define → write → filter and sort → change → delete.
describe("custom field lifecycle", () => {
  let t: TestApp;
  const defs: Record<string, FieldDefinition> = {};
  let corner: Contact;
  let straight: Contact;

  const api = (
    login: TestLogin,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url: `/api/v1${url}`, headers: t.as(login), ...(payload ? { payload } : {}) });
  const define = async (input: Omit<FieldDefinitionCreateInput, "entity">) => {
    const res = await api("admin", "POST", "/fields", { entity: "contacts", ...input });
    expect(res.statusCode, res.body).toBe(201);
    defs[input.key] = res.json<FieldDefinition>();
  };
  const listIds = async (query: string) => {
    const res = await api("manager1", "GET", `/contacts?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Contact[] }>().items.map((c) => c.id);
  };
  const contactCount = async () => Number((await t.db.knex("contacts").count({ n: "*" }))[0]!.n);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("lets an administrator define fields, and nobody else", async () => {
    await define({
      key: "kitchen_type",
      label: "Тип кухни",
      type: "enum",
      section: "Замер",
      options: [
        { value: "straight", label: "Прямая" },
        { value: "corner", label: "Угловая" },
      ],
    });
    await define({ key: "budget", label: "Бюджет", type: "money", section: "Замер" });
    await define({ key: "visit_at", label: "Время замера", type: "datetime" });
    const res = await api("manager1", "POST", "/fields", {
      entity: "contacts",
      key: "x",
      label: "X",
      type: "string",
    });
    expect(res.statusCode).toBe(403);
    const dup = await api("admin", "POST", "/fields", {
      entity: "contacts",
      key: "budget",
      label: "Б",
      type: "number",
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toEqual({ "body.key": "already used" });
  });

  it("shows every signed-in user the definitions in form order", async () => {
    const res = await api("agent1", "GET", "/fields?entity=contacts");
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: FieldDefinition[] }>().items.map((d) => [d.key, d.sort, d.section])).toEqual([
      ["kitchen_type", 10, "Замер"],
      ["budget", 20, "Замер"],
      ["visit_at", 30, null],
    ]);
  });

  it("stores valid values normalised", async () => {
    corner = await buildContact(t, "manager1", {
      firstName: "Ольга",
      fields: { kitchen_type: "corner", budget: 35_000_000, visit_at: "2026-12-05T11:00:00+03:00" },
    });
    expect(corner.fields).toEqual({
      kitchen_type: "corner",
      budget: 35_000_000,
      visit_at: "2026-12-05T08:00:00.000Z",
    });
    straight = await buildContact(t, "manager1", { firstName: "Пётр", fields: { kitchen_type: "straight" } });
    expect((await api("manager1", "GET", `/contacts/${straight.id}`)).json<Contact>().fields).toEqual({
      kitchen_type: "straight",
    });
  });

  it("refuses invalid values with 400 naming each field, and writes nothing", async () => {
    const before = await contactCount();
    const res = await api("manager1", "POST", "/contacts", {
      firstName: "Анна",
      fields: { kitchen_type: "island", budget: 10.5, colour: "красный" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      "body.fields.kitchen_type": "must be one of: straight, corner",
      "body.fields.budget": "must be a whole number of kopecks",
      "body.fields.colour": "unknown field",
    });
    expect(await contactCount()).toBe(before);

    const patch = await api("manager1", "PATCH", `/contacts/${corner.id}`, {
      firstName: "Ольга Николаевна",
      fields: { budget: "много" },
    });
    expect(patch.statusCode).toBe(400);
    const unchanged = (await api("manager1", "GET", `/contacts/${corner.id}`)).json<Contact>();
    expect(unchanged.firstName).toBe("Ольга");
    expect(unchanged.fields.budget).toBe(35_000_000);
  });

  it("merges an update: given keys change, null removes, the rest stay", async () => {
    const res = await api("manager1", "PATCH", `/contacts/${straight.id}`, {
      fields: { budget: 12_000_000, kitchen_type: null },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Contact>().fields).toEqual({ budget: 12_000_000 });
    const other = await api("manager1", "PATCH", `/contacts/${straight.id}`, { position: "Дизайнер" });
    expect(other.json<Contact>().fields).toEqual({ budget: 12_000_000 });
    await api("manager1", "PATCH", `/contacts/${straight.id}`, { fields: { kitchen_type: "straight" } });
  });

  it("filters and sorts the list by the fields", async () => {
    expect(await listIds("f.kitchen_type=corner")).toEqual([corner.id]);
    expect(await listIds("f.budget.gte=20000000")).toEqual([corner.id]);
    expect(await listIds("f.budget.lte=20000000")).toEqual([straight.id]);
    expect(await listIds("f.visit_at.gte=2026-12-05T10:59:00%2B03:00")).toEqual([corner.id]);
    expect(await listIds("sort=f.budget")).toEqual([straight.id, corner.id]);
    expect(await listIds("sort=-f.budget")).toEqual([corner.id, straight.id]);
    // Scope still applies: manager2 sees none of manager1's clients.
    const res = await api("manager2", "GET", "/contacts?f.kitchen_type=corner");
    expect(res.json().items).toEqual([]);
  });

  it("renames, reorders and hides fields, and forms see it at once", async () => {
    const renamed = await api("admin", "PATCH", `/fields/${defs.budget!.id}`, { label: "Бюджет, ₽" });
    expect(renamed.json<FieldDefinition>().label).toBe("Бюджет, ₽");
    const order = [defs.visit_at!.id, defs.budget!.id, defs.kitchen_type!.id];
    const reordered = await api("admin", "POST", "/fields/reorder", { entity: "contacts", ids: order });
    expect(reordered.statusCode, reordered.body).toBe(200);
    const partial = await api("admin", "POST", "/fields/reorder", {
      entity: "contacts",
      ids: order.slice(1),
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.fields).toHaveProperty("body.ids");
    await api("admin", "PATCH", `/fields/${defs.visit_at!.id}`, { isHidden: true });

    const seen = (await api("agent1", "GET", "/fields?entity=contacts")).json<{ items: FieldDefinition[] }>();
    expect(seen.items.map((d) => [d.key, d.label, d.isHidden])).toEqual([
      ["visit_at", "Время замера", true],
      ["budget", "Бюджет, ₽", false],
      ["kitchen_type", "Тип кухни", false],
    ]);
  });

  it("deletes a field: values leave records and filters, the audit keeps them", async () => {
    const res = await api("admin", "DELETE", `/fields/${defs.kitchen_type!.id}`);
    expect(res.statusCode).toBe(204);

    expect((await api("manager1", "GET", `/contacts/${corner.id}`)).json<Contact>().fields).toEqual({
      budget: 35_000_000,
      visit_at: "2026-12-05T08:00:00.000Z",
    });
    const filter = await api("manager1", "GET", "/contacts?f.kitchen_type=corner");
    expect(filter.statusCode).toBe(400);
    expect(filter.json().error.fields).toEqual({ "querystring.f.kitchen_type": "unknown field" });
    const write = await api("manager1", "PATCH", `/contacts/${corner.id}`, {
      fields: { kitchen_type: "corner" },
    });
    expect(write.json().error.fields).toEqual({ "body.fields.kitchen_type": "unknown field" });
    expect((await api("agent1", "GET", "/fields?entity=contacts")).json().items).toHaveLength(2);

    const audit = await t.db
      .knex("audit_log")
      .where({ entity: "contacts", action: "update" })
      .whereRaw("meta ->> 'reason' = 'field deleted'")
      .orderBy("record_id")
      .select("record_id", "changes", "user_id");
    expect(audit).toEqual(
      [
        { record_id: corner.id, changes: { fields: { before: { kitchen_type: "corner" }, after: {} } } },
        { record_id: straight.id, changes: { fields: { before: { kitchen_type: "straight" }, after: {} } } },
      ]
        .sort((a, b) => a.record_id.localeCompare(b.record_id))
        .map((row) => ({ ...row, user_id: t.org.users.admin.id })),
    );
    const definition = await t.db
      .knex("audit_log")
      .where({ entity: "fields", record_id: defs.kitchen_type!.id, action: "delete" })
      .first<{ changes: Record<string, { before: unknown }> }>("changes");
    expect(definition?.changes.key?.before).toBe("kitchen_type");
  });

  it("answers 404 for a field that is gone", async () => {
    expect((await api("admin", "DELETE", `/fields/${defs.kitchen_type!.id}`)).statusCode).toBe(404);
    expect(
      (await api("admin", "PATCH", `/fields/${defs.kitchen_type!.id}`, { label: "Тип" })).statusCode,
    ).toBe(404);
  });
});
