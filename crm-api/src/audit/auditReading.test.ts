import type { AuditItem } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

interface Page {
  items: AuditItem[];
  nextCursor: string | null;
}

describe("audit log: reading", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const history = (login: TestLogin, entity: string, id: string) =>
    t.app.inject({ url: `/api/v1/${entity}/${id}/audit`, headers: t.as(login) });
  const journal = async (query: Record<string, string>): Promise<Page> => {
    const res = await t.app.inject({ url: "/api/v1/audit", query, headers: t.as("admin") });
    expect(res.statusCode).toBe(200);
    return res.json<Page>();
  };
  const auditRows = async () => Number((await t.db.knex("audit_log").count<{ n: number }[]>("* as n"))[0]!.n);

  it("answers 403 for a record outside the user's scope and 404 for an unknown one", async () => {
    const c = await buildContact(t, "manager1");
    expect((await history("manager2", "contacts", c.id)).statusCode).toBe(403);
    expect((await history("manager1", "contacts", crypto.randomUUID())).statusCode).toBe(404);
    expect((await history("supervisor", "contacts", c.id)).statusCode).toBe(200);
  });

  it.each<TestLogin>(["supervisor", "manager1", "agent1", "marketer"])(
    "refuses the whole journal to %s (403)",
    async (login) => {
      const res = await t.app.inject({ url: "/api/v1/audit", headers: t.as(login) });
      expect(res.statusCode).toBe(403);
    },
  );

  it("filters the journal and pages it newest first", async () => {
    const mark = new Date().toISOString();
    for (const firstName of ["Первый", "Второй", "Третий"]) {
      await buildContact(t, "manager2", { firstName });
      await buildContact(t, "manager1", { firstName: "Чужой" });
    }
    const filters = { userId: t.org.users.manager2.id, entity: "contacts", action: "create", via: "api" };
    const first = await journal({ ...filters, from: mark, limit: "2" });
    const second = await journal({ ...filters, from: mark, limit: "2", cursor: first.nextCursor! });
    const names = [...first.items, ...second.items].map((i) => i.changes.firstName?.after);
    expect(names).toEqual(["Третий", "Второй", "Первый"]);
    expect(second.nextCursor).toBeNull();
    expect((await journal({ ...filters, to: mark })).items).toEqual([]);
    expect((await journal({ ...filters, via: "ui" })).items).toEqual([]);
  });

  it("answers 400 naming the filter that is not valid", async () => {
    const res = await t.app.inject({ url: "/api/v1/audit", query: { via: "fax" }, headers: t.as("admin") });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json<{ error: { fields: object } }>().error.fields)).toEqual(["querystring.via"]);
  });

  it("offers no way to change or delete audit rows", async () => {
    await buildContact(t, "manager1", { firstName: "Неизменный" });
    const [row] = (await journal({ limit: "1" })).items;
    const before = await auditRows();
    for (const method of ["PATCH", "PUT", "DELETE"] as const) {
      for (const url of ["/api/v1/audit", `/api/v1/audit/${row!.id}`]) {
        const res = await t.app.inject({ method, url, headers: t.as("admin"), payload: {} });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    }
    expect(await auditRows()).toBe(before);
    expect((await journal({ limit: "1" })).items[0]).toEqual(row);
  });
});
