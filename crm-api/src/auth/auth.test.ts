import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../test/testApp.ts";

describe("auth", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("logs in with login and password, sets an httpOnly session cookie and returns a bearer token", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "Manager1", password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; user: { login: string; role: string } }>();
    expect(body.user).toMatchObject({ login: "manager1", role: "manager" });
    const cookie = res.cookies.find((c) => c.name === "okno_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", value: body.token });

    const viaCookie = await t.app.inject({ url: "/api/v1/auth/me", cookies: { okno_session: body.token } });
    expect(viaCookie.json()).toMatchObject({ login: "manager1" });
    const viaBearer = await t.app.inject({
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(viaBearer.statusCode).toBe(200);
  });

  it("rejects a wrong password with invalid_credentials and does not say whether the login exists", async () => {
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "manager1", password: "nope" },
    });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "nobody", password: "nope" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ error: { code: "invalid_credentials" } });
  });

  it("answers 401 unauthorized without a token and with a forged one", async () => {
    const none = await t.app.inject({ url: "/api/v1/contacts" });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: "unauthorized" } });
    const forged = await t.app.inject({
      url: "/api/v1/contacts",
      headers: { authorization: "Bearer forged" },
    });
    expect(forged.statusCode).toBe(401);
  });

  it("ends the session on logout", async () => {
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "agent1", password: TEST_PASSWORD },
    });
    const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers })).statusCode).toBe(200);
    const out = await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers })).statusCode).toBe(401);
  });

  it("locks out an inactive user at once, even with a cached session", async () => {
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "agent2", password: TEST_PASSWORD },
    });
    const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers })).statusCode).toBe(200);
    await t.db.knex("users").where("login", "agent2").update({ is_active: false });
    await t.db.knex.raw("select pg_notify('okno_auth', ?)", [`user:${t.org.users.agent2.id}`]);
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers })).statusCode).toBe(401);
    await t.db.knex("users").where("login", "agent2").update({ is_active: true });
  });

  it("issues API tokens that work as bearer tokens", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/tokens",
      headers: t.as("admin"),
      payload: { name: "1C exchange" },
    });
    expect(res.statusCode).toBe(201);
    const me = await t.app.inject({
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${res.json<{ token: string }>().token}` },
    });
    expect(me.json()).toMatchObject({ login: "admin", role: "admin" });
  });

  it("serves health and the OpenAPI document without a session", async () => {
    const health = await t.app.inject({ url: "/health" });
    expect(health.json()).toEqual({ status: "ok", db: process.env.DATABASE_URL ? "postgres" : "pglite" });
    const docs = await t.app.inject({ url: "/docs/json" });
    expect(docs.statusCode).toBe(200);
    expect(docs.json<{ paths: Record<string, unknown> }>().paths).toHaveProperty("/api/v1/contacts/lookup");
  });
});

describe("login rate limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    const { testConfig } = await import("../config.ts");
    const base = testConfig();
    t = await startTestApp({ auth: { ...base.auth, loginRateLimit: 3 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("answers 429 rate_limited after too many attempts from one address", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { login: "admin", password: "guess" },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });
});
