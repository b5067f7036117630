import { DEFAULT_PERMISSIONS, type Contact, type Permissions, type Role } from "@okno/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { testConfig } from "../config.ts";
import { buildContact } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

const withContacts = (scope: Permissions["scopes"]["contacts"]): Permissions => ({
  ...DEFAULT_PERMISSIONS.marketer,
  scopes: { ...DEFAULT_PERMISSIONS.marketer.scopes, contacts: scope },
});

describe("roles", () => {
  let t: TestApp;
  let agentsContact: Contact;
  beforeAll(async () => {
    t = await startTestApp();
    agentsContact = await buildContact(t, "agent1", { lastName: "Соколова", firstName: "Вера" });
  });
  afterAll(async () => {
    await t.close();
  });

  const setMarketer = (permissions: unknown, as: "admin" | "supervisor" = "admin") =>
    t.app.inject({
      method: "PATCH",
      url: "/api/v1/roles/marketer",
      headers: t.as(as),
      payload: { permissions },
    });
  /** Ids of the contacts `app` lists for the marketer, or the error status. */
  const marketerSees = async (app: FastifyInstance = t.app) => {
    const res = await app.inject({ url: "/api/v1/contacts", headers: t.as("marketer") });
    return res.statusCode === 200 ? res.json<{ items: Contact[] }>().items.map((c) => c.id) : res.statusCode;
  };

  it("lists the five roles in the brief's order with the default matrix", async () => {
    const res = await t.app.inject({ url: "/api/v1/roles", headers: t.as("agent1") });
    expect(res.statusCode).toBe(200);
    const roles = res.json<Role[]>();
    expect(roles.map((r) => [r.code, r.name])).toEqual([
      ["admin", "Администратор"],
      ["supervisor", "Руководитель"],
      ["manager", "Менеджер по продажам"],
      ["agent", "Оператор колл-центра"],
      ["marketer", "Маркетолог"],
    ]);
    for (const r of roles) {
      expect(r.permissions).toEqual(DEFAULT_PERMISSIONS[r.code]);
    }
  });

  it("answers 403 to a non-administrator changing the matrix and changes nothing", async () => {
    const res = await setMarketer(withContacts("none"), "supervisor");
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(await marketerSees()).toEqual([agentsContact.id]);
  });

  it("never takes administration away from the admin role", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/roles/admin",
      headers: t.as("admin"),
      payload: { permissions: { ...DEFAULT_PERMISSIONS.admin, canAdminister: false } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { fields: { "body.permissions.canAdminister": expect.any(String) } },
    });
    const admin = await t.app.inject({ url: "/api/v1/auth/me", headers: t.as("admin") });
    expect(admin.json()).toMatchObject({ permissions: { canAdminister: true } });
  });

  it.each([
    [
      { scopes: { ...DEFAULT_PERMISSIONS.marketer.scopes, contacts: "everything" }, canAdminister: false },
      "body.permissions.scopes.contacts",
    ],
    [{ scopes: DEFAULT_PERMISSIONS.marketer.scopes }, "body.permissions.canAdminister"],
    [{ ...DEFAULT_PERMISSIONS.marketer, scopes: { contacts: "all" } }, "body.permissions.scopes"],
  ])("rejects %j naming %s", async (permissions, field) => {
    const res = await setMarketer(permissions);
    expect(res.statusCode).toBe(400);
    const fields = Object.keys(res.json<{ error: { fields: object } }>().error.fields);
    expect(fields.some((f) => f.startsWith(field))).toBe(true);
  });

  it("applies a changed scope to signed-in users on their next request", async () => {
    expect(await marketerSees()).toEqual([agentsContact.id]);
    const own = await setMarketer(withContacts("own"));
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ code: "marketer", permissions: { scopes: { contacts: "own" } } });
    expect(await marketerSees()).toEqual([]);
    const single = await t.app.inject({
      url: `/api/v1/contacts/${agentsContact.id}`,
      headers: t.as("marketer"),
    });
    expect(single.statusCode).toBe(403);

    expect((await setMarketer(withContacts("none"))).statusCode).toBe(200);
    expect(await marketerSees()).toBe(403);
    expect((await setMarketer(DEFAULT_PERMISSIONS.marketer)).statusCode).toBe(200);
    expect(await marketerSees()).toEqual([agentsContact.id]);
  });

  it("makes other crm-api instances forget cached permissions too", async () => {
    // A second instance on the same database, with its own principal cache, hears the NOTIFY.
    const other = await buildApp({ config: testConfig(), db: t.db });
    await other.ready();
    try {
      expect(await marketerSees(other)).toEqual([agentsContact.id]);
      expect((await setMarketer(withContacts("own"))).statusCode).toBe(200);
      // Well under the cache's 10-second TTL: only the notification can explain the change.
      const deadline = Date.now() + 2000;
      let seen = await marketerSees(other);
      while (Array.isArray(seen) && seen.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        seen = await marketerSees(other);
      }
      expect(seen).toEqual([]);
    } finally {
      await other.close();
      await setMarketer(DEFAULT_PERMISSIONS.marketer);
    }
  });
});
