import type { AuditItem, Contact, LeadConversion, User } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../auth/plugin.ts";
import {
  buildCompany,
  buildContact,
  buildDeal,
  buildInteraction,
  buildLead,
  buildPipeline,
  buildTask,
  uniqueInn,
  uniquePhone,
} from "../test/factories.ts";
import { TEST_PASSWORD, startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { recordAudit } from "./recordAudit.ts";

interface Page {
  items: AuditItem[];
  nextCursor: string | null;
}

describe("audit log: what is recorded", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await buildPipeline(t, { name: "Продажи", isDefault: true });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A record's history as `login` sees it: GET /{entity}/{id}/audit. */
  const history = (login: TestLogin, entity: string, id: string) =>
    t.app.inject({ url: `/api/v1/${entity}/${id}/audit`, headers: t.as(login) });
  /** The administrators' journal with filters. */
  const journal = async (query: Record<string, string>): Promise<Page> => {
    const res = await t.app.inject({ url: "/api/v1/audit", query, headers: t.as("admin") });
    expect(res.statusCode).toBe(200);
    return res.json<Page>();
  };
  const auditRows = async () => Number((await t.db.knex("audit_log").count<{ n: number }[]>("* as n"))[0]!.n);

  describe("who, from where and what", () => {
    it("records a contact created in the browser: the user, via ui and the client address", async () => {
      const login = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { login: "manager1", password: TEST_PASSWORD },
      });
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        cookies: { [SESSION_COOKIE]: login.json<{ token: string }>().token },
        remoteAddress: "203.0.113.7",
        payload: { lastName: "Соколова", firstName: "Мария", phones: [{ phone: "+7 912 555-01-01" }] },
      });
      expect(res.statusCode).toBe(201);
      const id = res.json<Contact>().id;
      const [entry] = (await history("admin", "contacts", id)).json<Page>().items;
      expect(entry).toMatchObject({
        entity: "contacts",
        recordId: id,
        action: "create",
        via: "ui",
        ip: "203.0.113.7",
        userId: t.org.users.manager1.id,
        userName: "Тест manager1",
      });
      expect(entry!.changes).toMatchObject({
        lastName: { before: null, after: "Соколова" },
        firstName: { before: null, after: "Мария" },
        phones: { before: null, after: [{ phone: "+79125550101", kind: "mobile" }] },
      });
      // The owner reads the same history, but another user's address is not theirs to see.
      const own = (await history("manager1", "contacts", id)).json<Page>().items;
      expect(own).toMatchObject([{ action: "create", ip: null }]);
    });

    it("marks a write made with an API token as via api", async () => {
      const c = await buildContact(t, "agent1");
      expect((await history("agent1", "contacts", c.id)).json<Page>().items).toMatchObject([
        { action: "create", via: "api", userId: t.org.users.agent1.id },
      ]);
    });

    it("records only the changed fields of an update, with before and after", async () => {
      const c = await buildContact(t, "manager1", { firstName: "Олег", note: null });
      const phone = uniquePhone();
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/contacts/${c.id}`,
        headers: t.as("manager1"),
        payload: { firstName: "Олег", note: "Просил звонить после 18:00", phones: [{ phone }] },
      });
      expect(res.statusCode).toBe(200);
      const [update] = (await history("manager1", "contacts", c.id)).json<Page>().items;
      expect(update!.action).toBe("update");
      expect(update!.changes).toEqual({
        note: { before: null, after: "Просил звонить после 18:00" },
        phones: { before: c.phones, after: [{ phone, kind: "mobile" }] },
      });
    });

    it("keeps the last values of a deleted record, readable by administrators only", async () => {
      const c = await buildContact(t, "manager1", { lastName: "Орлов", firstName: "Павел" });
      const del = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/contacts/${c.id}`,
        headers: t.as("manager1"),
      });
      expect(del.statusCode).toBe(204);
      expect((await history("manager1", "contacts", c.id)).statusCode).toBe(404);
      const items = (await journal({ recordId: c.id })).items;
      expect(items.map((i) => i.action)).toEqual(["delete", "create"]);
      expect(items[0]!.changes).toMatchObject({
        lastName: { before: "Орлов", after: null },
        phones: { before: c.phones, after: null },
      });
    });

    it("audits the create of companies, leads, deals, tasks and interactions, and deal changes", async () => {
      const company = await buildCompany(t, "manager1");
      const lead = await buildLead(t, "manager1");
      const deal = await buildDeal(t, "manager1", { companyId: company.id });
      const task = await buildTask(t, "manager1", { dealId: deal.id });
      const note = await buildInteraction(t, "manager1", { dealId: deal.id });
      const created = [
        ["companies", company.id],
        ["leads", lead.id],
        ["deals", deal.id],
        ["tasks", task.id],
        ["interactions", note.id],
      ];
      for (const [entity, id] of created) {
        expect((await journal({ recordId: id! })).items).toMatchObject([{ entity, action: "create" }]);
      }
      await t.app.inject({
        method: "PATCH",
        url: `/api/v1/deals/${deal.id}`,
        headers: t.as("manager1"),
        payload: { amount: 30_000_000 },
      });
      const [change] = (await history("manager1", "deals", deal.id)).json<Page>().items;
      expect(change!.changes).toEqual({ amount: { before: 25_000_000, after: 30_000_000 } });
    });
  });

  describe("nothing is recorded for a change that did not happen", () => {
    it("leaves no row after a rejected create (400) or a phone conflict (409)", async () => {
      const taken = await buildContact(t, "manager1");
      const before = await auditRows();
      const bad = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        headers: t.as("manager1"),
        payload: { firstName: "" },
      });
      expect(bad.statusCode).toBe(400);
      const clash = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/contacts/${(await buildContact(t, "manager1")).id}`,
        headers: t.as("manager1"),
        payload: { note: "дубль", phones: taken.phones },
      });
      expect(clash.statusCode).toBe(409);
      // The one row added is the create of the second contact.
      expect(await auditRows()).toBe(before + 1);
    });

    it("leaves no row after a lead conversion that fails midway (unknown stage, 400)", async () => {
      const lead = await buildLead(t, "manager1", { companyName: "ООО «Тополь»" });
      const before = await auditRows();
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/leads/${lead.id}/convert`,
        headers: t.as("manager1"),
        payload: { stageId: crypto.randomUUID() },
      });
      expect(res.statusCode).toBe(400);
      expect(await auditRows()).toBe(before);
    });

    it("drops the audit row together with a transaction that fails after writing it", async () => {
      const before = await auditRows();
      await expect(
        t.db.knex.transaction(async (trx) => {
          await recordAudit(
            trx,
            { userId: t.org.users.admin.id, via: "system", ip: null },
            {
              entity: "contacts",
              recordId: crypto.randomUUID(),
              action: "create",
              after: { firstName: "Призрак" },
            },
          );
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
      expect(await auditRows()).toBe(before);
    });
  });

  it("records every record a lead conversion creates, the contact it links and the lead", async () => {
    const lead = await buildLead(t, "manager1", {
      contactName: "Лебедева Нина Андреевна",
      companyName: "ООО «Берёзка»",
      companyInn: uniqueInn(),
    });
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/leads/${lead.id}/convert`,
      headers: t.as("manager1"),
      payload: {},
    });
    expect(res.statusCode).toBe(201);
    const made = res.json<LeadConversion>();
    const created = { contacts: made.contactId!, companies: made.companyId!, deals: made.deal.id };
    for (const [entity, id] of Object.entries(created)) {
      expect((await history("manager1", entity, id)).json<Page>().items).toMatchObject([
        { entity, action: "create", meta: { leadId: lead.id } },
      ]);
    }
    const [leadUpdate] = (await history("manager1", "leads", lead.id)).json<Page>().items;
    expect(leadUpdate!.changes).toMatchObject({
      status: { before: "new", after: "converted" },
      dealId: { before: null, after: made.deal.id },
    });

    // An existing contact gains the new company: an update of the contact with its companies.
    const known = await buildContact(t, "manager1");
    const second = await buildLead(t, "manager1", { contactId: known.id, companyName: "ООО «Клён»" });
    const conv = await t.app.inject({
      method: "POST",
      url: `/api/v1/leads/${second.id}/convert`,
      headers: t.as("manager1"),
      payload: {},
    });
    const [link] = (await history("manager1", "contacts", known.id)).json<Page>().items;
    expect(link).toMatchObject({
      action: "update",
      changes: { companies: { before: [], after: [{ id: conv.json<LeadConversion>().companyId }] } },
    });
  });

  it("audits a password change without the password or its hash", async () => {
    const password = "Новый-пароль-2026";
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${t.org.users.agent2.id}`,
      headers: t.as("admin"),
      payload: { password, extension: "112" },
    });
    expect(res.statusCode).toBe(200);
    const [entry] = (await journal({ entity: "users", recordId: t.org.users.agent2.id })).items;
    expect(entry!.changes).toEqual({
      extension: { before: "102", after: "112" },
      password: { before: "[hidden]", after: "[changed]" },
    });
    const hash = (await t.db.knex("users").where("id", t.org.users.agent2.id).first("password_hash"))!
      .password_hash as string;
    const stored = JSON.stringify(await t.db.knex("audit_log").select("changes", "meta"));
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(hash);
    expect(stored).not.toContain("$argon2");
  });

  it("audits admin changes to users, departments and roles", async () => {
    const user = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.as("admin"),
      payload: {
        login: "n.volkova",
        password: "Пароль-для-Волковой",
        fullName: "Волкова Наталья",
        departmentId: t.org.departments.sales1,
        role: "manager",
      },
    });
    const [created] = (await journal({ recordId: user.json<User>().id })).items;
    expect(created).toMatchObject({
      entity: "users",
      action: "create",
      changes: { login: { after: "n.volkova" } },
    });
    expect(created!.changes).not.toHaveProperty("password");

    const dept = await t.app.inject({
      method: "POST",
      url: "/api/v1/departments",
      headers: t.as("admin"),
      payload: { name: "Отдел продаж 3", parentId: t.org.departments.sales },
    });
    const deptId = dept.json<{ id: string }>().id;
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/departments/${deptId}`,
      headers: t.as("admin"),
      payload: { name: "Отдел B2B" },
    });
    await t.app.inject({ method: "DELETE", url: `/api/v1/departments/${deptId}`, headers: t.as("admin") });
    const steps = (await journal({ entity: "departments", recordId: deptId })).items;
    expect(steps.map((s) => [s.action, s.changes.name])).toEqual([
      ["delete", { before: "Отдел B2B", after: null }],
      ["update", { before: "Отдел продаж 3", after: "Отдел B2B" }],
      ["create", { before: null, after: "Отдел продаж 3" }],
    ]);

    const roles = await t.app.inject({ url: "/api/v1/roles", headers: t.as("admin") });
    const marketer = roles
      .json<{ code: string; permissions: { scopes: object } }[]>()
      .find((r) => r.code === "marketer")!;
    const permissions = { canAdminister: false, scopes: { ...marketer.permissions.scopes, tasks: "none" } };
    const patched = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/roles/marketer",
      headers: t.as("admin"),
      payload: { permissions },
    });
    expect(patched.statusCode).toBe(200);
    const [role] = (await journal({ entity: "roles", recordId: "marketer" })).items;
    expect(role).toMatchObject({ action: "update", changes: { permissions: { after: permissions } } });
  });
});
