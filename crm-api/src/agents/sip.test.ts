import { createHmac } from "node:crypto";
import type { SipCredentials } from "@okno/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { testConfig, type Config } from "../config.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";
import { fieldsOf } from "./testKit.ts";

const SIP = { wsUrl: "wss://127.0.0.1:8089/ws", domain: "okno.test", iceServers: "stun:127.0.0.1:3478" };
const EPHEMERAL_SECRET = "kamailio-shared-secret-0123456789";
const SECRET_KEY = "at-rest-key-0123456789abcdef";

describe("SIP credentials for the softphone", () => {
  let t: TestApp;
  const apps: FastifyInstance[] = [];
  /** Another app on the same database with its own SIP configuration. */
  const appWith = async (sip: Partial<Config["sip"]>) => {
    const base = testConfig();
    const app = await buildApp({ config: { ...base, sip: { ...base.sip, ...sip } }, db: t.db });
    apps.push(app);
    return app;
  };
  const getSip = (app: FastifyInstance, headers: Record<string, string>) =>
    app.inject({ method: "GET", url: "/api/v1/me/sip", headers });
  const putSecret = (
    app: FastifyInstance,
    headers: Record<string, string>,
    userId: string,
    secret: unknown,
  ) => app.inject({ method: "PUT", url: `/api/v1/users/${userId}/sip-secret`, headers, payload: { secret } });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await t.close();
  });

  it("answers 409 while SIP is not configured", async () => {
    const res = await getSip(t.app, t.as("agent1"));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain("SIP_WS_URL");
  });

  it("gives 12-hour Kamailio auth_ephemeral credentials that the shared secret verifies", async () => {
    const app = await appWith({ ...SIP, ephemeralSecret: EPHEMERAL_SECRET });
    const before = Math.floor(Date.now() / 1000);
    const res = await getSip(app, t.as("agent1"));
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const sip = res.json<SipCredentials>();
    expect(sip).toMatchObject({
      wsUri: SIP.wsUrl,
      domain: "okno.test",
      extension: "101",
      displayName: "Тест agent1",
      iceServers: [{ urls: "stun:127.0.0.1:3478" }],
    });
    const [expiry, ext] = sip.authorizationUsername.split(":");
    expect(ext).toBe("101");
    expect(Number(expiry) - before).toBeGreaterThanOrEqual(12 * 3600);
    expect(Number(expiry) - before).toBeLessThanOrEqual(12 * 3600 + 2);
    expect(sip.expiresAt).toBe(new Date(Number(expiry) * 1000).toISOString());
    const expected = createHmac("sha1", EPHEMERAL_SECRET).update(sip.authorizationUsername).digest("base64");
    expect(sip.password).toBe(expected);
  });

  it("answers 404 to a user without an extension", async () => {
    const app = await appWith({ ...SIP, ephemeralSecret: EPHEMERAL_SECRET });
    const res = await getSip(app, t.as("admin"));
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toContain("extension");
  });

  it("stores a per-user password encrypted, returns it only to its user, and never lists it", async () => {
    const app = await appWith({ ...SIP, secretKey: SECRET_KEY });
    const agent1 = t.org.users.agent1.id;
    expect((await getSip(app, t.as("agent1"))).statusCode).toBe(409);

    expect((await putSecret(app, t.as("supervisor"), agent1, "s3cret-pass")).statusCode).toBe(403);
    const bad = await putSecret(app, t.as("admin"), agent1, "short");
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual(["body.secret"]);
    expect((await putSecret(app, t.as("admin"), crypto.randomUUID(), "s3cret-pass")).statusCode).toBe(404);
    expect((await putSecret(app, t.as("admin"), agent1, "s3cret-pass")).statusCode).toBe(204);

    const stored = await t.db.knex("users").where("id", agent1).first<{ sip_secret: string }>("sip_secret");
    expect(stored.sip_secret.startsWith("enc:v1:")).toBe(true);
    expect(stored.sip_secret).not.toContain("s3cret-pass");
    const mine = await getSip(app, t.as("agent1"));
    expect(mine.json()).toMatchObject({
      authorizationUsername: "101",
      password: "s3cret-pass",
      expiresAt: null,
    });
    // The agent next door has no password of their own, and nobody's listing shows one.
    expect((await getSip(app, t.as("agent2"))).statusCode).toBe(409);
    for (const login of ["admin", "agent2"] as const) {
      const list = await app.inject({ method: "GET", url: "/api/v1/users", headers: t.as(login) });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toMatch(/sip|s3cret/i);
    }
    const audit = await t.db.knex("audit_log").where({ entity: "users", record_id: agent1 }).pluck("changes");
    expect(JSON.stringify(audit)).not.toContain("s3cret");

    // Without the key the encrypted password cannot be read: a clear 409, not garbage.
    const keyless = await appWith({ ...SIP });
    expect((await getSip(keyless, t.as("agent1"))).statusCode).toBe(409);
    // A password set without a key is stored as given; removing it takes it away.
    expect((await putSecret(keyless, t.as("admin"), agent1, "plain-pass-1")).statusCode).toBe(204);
    expect((await getSip(keyless, t.as("agent1"))).json().password).toBe("plain-pass-1");
    expect((await putSecret(keyless, t.as("admin"), agent1, null)).statusCode).toBe(204);
    expect((await getSip(keyless, t.as("agent1"))).statusCode).toBe(409);
  });

  it("documents the agent desktop's routes in the OpenAPI document", async () => {
    const docs = await t.app.inject({ url: "/docs/json" });
    expect(docs.statusCode).toBe(200);
    const paths = Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths);
    for (const path of [
      "/api/v1/me/sip",
      "/api/v1/users/{id}/sip-secret",
      "/api/v1/agents/me/state",
      "/api/v1/agents/board",
      "/api/v1/calls/handover",
      "/api/v1/interactions/{id}/wrap-up",
      "/api/v1/calls/softphone-events",
      "/api/v1/calls",
      "/api/v1/calls/missed",
    ]) {
      expect(paths).toContain(path);
    }
  });
});
