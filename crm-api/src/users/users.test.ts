import type { User, UserSummary } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

type Page = { items: (User | UserSummary)[]; nextCursor: string | null };

describe("users", () => {
  let t: TestApp;
  let counter = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (query: Record<string, string>, as: TestLogin = "admin") => {
    const res = await t.app.inject({ url: "/api/v1/users", query, headers: t.as(as) });
    expect(res.statusCode).toBe(200);
    return res.json<Page>();
  };
  const idsOf = (page: Page) => page.items.map((u) => u.id).sort();
  const newUser = (overrides: Record<string, unknown> = {}) => {
    counter += 1;
    return {
      login: `operator${counter}`,
      password: "Надёжный-пароль-1",
      fullName: "Петрова Мария Ивановна",
      departmentId: t.org.departments.callcenter,
      role: "agent",
      ...overrides,
    };
  };
  const create = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.as("admin"),
      payload,
    });
    expect(res.statusCode).toBe(201);
    return res.json<User>();
  };
  const patch = (id: string, payload: Record<string, unknown>, as: TestLogin = "admin") =>
    t.app.inject({ method: "PATCH", url: `/api/v1/users/${id}`, headers: t.as(as), payload });
  const signIn = (login: string, password: string) =>
    t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { login, password } });
  const me = (token: string) =>
    t.app.inject({ url: "/api/v1/auth/me", headers: { authorization: `Bearer ${token}` } });
  /** Creates a user, signs in as them and loads /auth/me once so their principal is cached. */
  const createSignedIn = async (overrides: Record<string, unknown> = {}) => {
    const payload = newUser(overrides);
    const user = await create(payload);
    const token = (await signIn(payload.login, payload.password)).json<{ token: string }>().token;
    expect((await me(token)).statusCode).toBe(200);
    return { user, token, password: payload.password };
  };

  describe("list", () => {
    it("shows colleagues to a manager without their logins, e-mails or phones", async () => {
      const page = await list({ limit: "200" }, "manager1");
      expect(page.items).toHaveLength(7);
      for (const u of page.items) {
        expect(Object.keys(u).sort()).toEqual([
          "departmentId",
          "extension",
          "fullName",
          "id",
          "isActive",
          "role",
        ]);
      }
      expect(page.items.find((u) => u.id === t.org.users.agent1.id)).toEqual({
        id: t.org.users.agent1.id,
        fullName: "Тест agent1",
        departmentId: t.org.departments.callcenter,
        role: "agent",
        extension: "101",
        isActive: true,
      });
    });

    it("gives administrators logins as well", async () => {
      const page = await list({ q: "agent1" });
      expect(page.items).toEqual([
        expect.objectContaining({ id: t.org.users.agent1.id, login: "agent1", email: null, phone: null }),
      ]);
    });

    it("filters by department, with or without the departments below it", async () => {
      const { sales } = t.org.departments;
      const { supervisor, manager1, manager2 } = t.org.users;
      expect(idsOf(await list({ departmentId: sales }, "agent1"))).toEqual([supervisor.id]);
      expect(idsOf(await list({ departmentId: sales, subtree: "true" }, "agent1"))).toEqual(
        [supervisor.id, manager1.id, manager2.id].sort(),
      );
    });

    it("filters by role and finds by name words or extension prefix", async () => {
      expect(idsOf(await list({ role: "manager" }, "agent1"))).toEqual(
        [t.org.users.manager1.id, t.org.users.manager2.id].sort(),
      );
      expect(idsOf(await list({ q: "10" }, "manager1"))).toEqual(
        [t.org.users.agent1.id, t.org.users.agent2.id].sort(),
      );
      expect(idsOf(await list({ q: "тест MANAGER2" }, "manager1"))).toEqual([t.org.users.manager2.id]);
    });

    it("pages through everyone by name without repeats", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { limit: "3", ...(cursor ? { cursor } : {}) };
        const page = await list(query, "agent1");
        seen.push(...page.items.map((u) => u.fullName));
        cursor = page.nextCursor;
      } while (cursor);
      const all = (await list({ limit: "200" }, "agent1")).items.map((u) => u.fullName);
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(all.length);
    });
  });

  describe("create", () => {
    it("creates a user who can then sign in, normalising e-mail and phone", async () => {
      const payload = newUser({
        email: "M.Petrova@Example.RU",
        phone: "8 (916) 555-12-34",
        extension: "105",
      });
      const user = await create(payload);
      expect(user).toMatchObject({
        login: payload.login,
        fullName: "Петрова Мария Ивановна",
        email: "m.petrova@example.ru",
        phone: "+79165551234",
        extension: "105",
        role: "agent",
        isActive: true,
      });
      const hash = await t.db.knex("users").where("id", user.id).first("password_hash");
      expect(hash.password_hash).toMatch(/^\$argon2id\$/);
      const login = await signIn(payload.login.toUpperCase(), payload.password);
      expect(login.statusCode).toBe(200);
      expect(login.json()).toMatchObject({ user: { id: user.id, role: "agent", extension: "105" } });
      // E-mails and logins are for administrators only: others cannot find people by them either.
      expect(idsOf(await list({ q: "m.petrova@" }))).toEqual([user.id]);
      expect(idsOf(await list({ q: "m.petrova@" }, "manager1"))).toEqual([]);
    });

    it("refuses a login that exists in another case, naming body.login", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: t.as("admin"),
        payload: newUser({ login: "AGENT1" }),
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        error: { code: "conflict", fields: { "body.login": "already taken" } },
      });
    });

    it("refuses an extension another user has, naming body.extension", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: t.as("admin"),
        payload: newUser({ extension: "101" }),
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        error: { code: "conflict", fields: { "body.extension": `belongs to user ${t.org.users.agent1.id}` } },
      });
    });

    it.each([
      [{ password: "корот7" }, "body.password"],
      [{ login: "иванов" }, "body.login"],
      [{ extension: "10a" }, "body.extension"],
      [{ phone: "12" }, "body.phone"],
      [{ role: "boss" }, "body.role"],
      [{ departmentId: "00000000-0000-4000-8000-000000000000" }, "body.departmentId"],
      [{ fullName: "  " }, "body.fullName"],
      [{ isAdmin: true }, "body"],
    ])("rejects %j with 400 naming %s and writes nothing", async (override, field) => {
      const before = await t.db.knex("users").count<{ n: number }[]>("* as n");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: t.as("admin"),
        payload: newUser(override),
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; fields: Record<string, string> } }>();
      expect(body.error.code).toBe("invalid_request");
      expect(Object.keys(body.error.fields)).toContain(field);
      const after = await t.db.knex("users").count<{ n: number }[]>("* as n");
      expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
    });

    it.each(["manager1", "supervisor", "marketer"] as const)(
      "answers 403 to %s creating or changing users",
      async (as) => {
        const created = await t.app.inject({
          method: "POST",
          url: "/api/v1/users",
          headers: t.as(as),
          payload: newUser({ login: `intruder-${as}` }),
        });
        expect(created.statusCode).toBe(403);
        expect(created.json()).toMatchObject({ error: { code: "forbidden" } });
        const changed = await patch(t.org.users[as].id, { role: "admin" }, as);
        expect(changed.statusCode).toBe(403);
        expect(changed.json()).toMatchObject({ error: { code: "forbidden" } });
        expect(await t.db.knex("users").where("login", `intruder-${as}`).first()).toBeUndefined();
        expect(await t.db.knex("users").where("id", t.org.users[as].id).first("role_code")).not.toEqual({
          role_code: "admin",
        });
      },
    );
  });

  describe("update", () => {
    it("deactivates instead of deleting: the user is signed out at once and cannot sign in", async () => {
      const { user, token, password } = await createSignedIn();
      const res = await patch(user.id, { isActive: false });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: user.id, isActive: false });
      expect((await me(token)).statusCode).toBe(401);
      expect(await t.db.knex("sessions").where("user_id", user.id).first()).toBeUndefined();
      expect((await signIn(user.login, password)).statusCode).toBe(401);
      expect(idsOf(await list({ active: "false" }))).toContain(user.id);
      expect(idsOf(await list({ active: "true" }))).not.toContain(user.id);
    });

    it("a new password ends existing sessions; the new one works and the old one does not", async () => {
      const { user, token, password } = await createSignedIn();
      const res = await patch(user.id, { password: "новый-пароль-2026" });
      expect(res.statusCode).toBe(200);
      expect((await me(token)).statusCode).toBe(401);
      expect((await signIn(user.login, password)).statusCode).toBe(401);
      expect((await signIn(user.login, "новый-пароль-2026")).statusCode).toBe(200);
    });

    it("a role or department change applies to the user's very next request", async () => {
      const { user, token } = await createSignedIn();
      expect((await me(token)).json()).toMatchObject({ role: "agent" });
      const res = await patch(user.id, { role: "manager", departmentId: t.org.departments.sales1 });
      expect(res.statusCode).toBe(200);
      expect((await me(token)).json()).toMatchObject({
        role: "manager",
        departmentId: t.org.departments.sales1,
        permissions: { scopes: { contacts: "own" } },
      });
    });

    it("refuses to give a user another user's extension", async () => {
      const { user } = await createSignedIn({ extension: "150" });
      const same = await patch(user.id, { extension: "150", fullName: "Петрова-Сидорова Мария" });
      expect(same.statusCode).toBe(200);
      const taken = await patch(user.id, { extension: "102" });
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ error: { fields: { "body.extension": expect.any(String) } } });
      expect((await t.db.knex("users").where("id", user.id).first("extension")).extension).toBe("150");
    });

    it("does not let an administrator deactivate or demote themselves", async () => {
      const adminId = t.org.users.admin.id;
      const off = await patch(adminId, { isActive: false });
      expect(off.statusCode).toBe(400);
      expect(off.json()).toMatchObject({ error: { fields: { "body.isActive": expect.any(String) } } });
      const demoted = await patch(adminId, { role: "supervisor" });
      expect(demoted.statusCode).toBe(400);
      expect(demoted.json()).toMatchObject({ error: { fields: { "body.role": expect.any(String) } } });
      const meRes = await t.app.inject({ url: "/api/v1/auth/me", headers: t.as("admin") });
      expect(meRes.json()).toMatchObject({ role: "admin" });
    });

    it("keeps the administrator's own session when they change their own password", async () => {
      const { user, token } = await createSignedIn({ role: "admin", departmentId: t.org.departments.root });
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/users/${user.id}`,
        headers: { authorization: `Bearer ${token}` },
        payload: { password: "другой-пароль-2026" },
      });
      expect(res.statusCode).toBe(200);
      expect((await me(token)).statusCode).toBe(200);
    });

    it("answers 404 for an unknown user and 400 for a malformed id", async () => {
      const missing = await patch("00000000-0000-4000-8000-000000000000", { fullName: "Никто" });
      expect(missing.statusCode).toBe(404);
      const read = await t.app.inject({
        url: "/api/v1/users/00000000-0000-4000-8000-000000000000",
        headers: t.as("agent1"),
      });
      expect(read.json()).toMatchObject({ error: { code: "not_found" } });
      const bad = await t.app.inject({ url: "/api/v1/users/42", headers: t.as("agent1") });
      expect(bad.statusCode).toBe(400);
    });

    it("shows one user to a colleague as a summary and to an administrator in full", async () => {
      const url = `/api/v1/users/${t.org.users.manager2.id}`;
      const colleague = await t.app.inject({ url, headers: t.as("agent1") });
      expect(colleague.json()).not.toHaveProperty("login");
      expect(colleague.json()).toMatchObject({ fullName: "Тест manager2", extension: "202" });
      const admin = await t.app.inject({ url, headers: t.as("admin") });
      expect(admin.json()).toMatchObject({ login: "manager2", extension: "202" });
    });
  });
});
