import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openTestDb } from "@okno/db/testDb";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { testConfig } from "../config.ts";
import { seedTestOrg, type TestDb, type TestOrg } from "../test/testApp.ts";

const INDEX = '<!doctype html><html lang="ru"><body><div id="root"></div></body></html>';

/** A stand-in for agent-desktop/dist: what Vite writes, small. */
function makeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "okno-desktop-"));
  mkdirSync(path.join(dir, "assets"));
  mkdirSync(path.join(dir, ".vite"));
  writeFileSync(path.join(dir, "index.html"), INDEX);
  writeFileSync(path.join(dir, "sw.js"), "self.addEventListener('fetch', () => {});");
  writeFileSync(path.join(dir, "assets", "index-AbC123.js"), "console.log('okno');");
  writeFileSync(path.join(dir, ".vite", "manifest.json"), "{}");
  return dir;
}

describe("serving the agent desktop", () => {
  let db: TestDb;
  let org: TestOrg;
  let app: FastifyInstance;
  let dist: string;

  beforeAll(async () => {
    db = await openTestDb();
    org = await seedTestOrg(db);
    dist = makeDist();
    app = await buildApp({ config: testConfig(), db, desktopDir: dist });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
    rmSync(dist, { recursive: true, force: true });
  });

  it("serves index.html at the root without a session, revalidated on every load", async () => {
    const res = await app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.body).toBe(INDEX);
  });

  it("answers the app's own routes with index.html so a reload on /contacts/… works", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/contacts/5b0c6a3e-1f2d-4c5b-9a8e-7d6c5b4a3f2e?tab=timeline",
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers["cache-control"]).toBe("no-cache");
  });

  it("caches hashed assets for a year and the service worker not at all", async () => {
    const asset = await app.inject({ method: "GET", url: "/assets/index-AbC123.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const sw = await app.inject({ method: "GET", url: "/sw.js" });
    expect(sw.statusCode).toBe(200);
    expect(sw.headers["cache-control"]).toBe("no-cache");
  });

  it("answers a missing asset with 404, not with the HTML of the app", async () => {
    const res = await app.inject({ method: "GET", url: "/assets/index-OldHash.js" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: "not_found", message: "no route GET /assets/index-OldHash.js" },
    });
  });

  it("does not publish the build manifest", async () => {
    expect((await app.inject({ method: "GET", url: "/.vite/manifest.json" })).statusCode).toBe(404);
  });

  it("keeps unknown API paths a JSON 404 and API routes authenticated", async () => {
    const missing = await app.inject({ method: "GET", url: "/api/v1/no-such-thing" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: "not_found" } });
    const webhook = await app.inject({ method: "GET", url: "/webhooks/mango/events/call" });
    expect(webhook.statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/api/v1/contacts" })).statusCode).toBe(401);
    const authed = await app.inject({
      method: "GET",
      url: "/api/v1/contacts",
      headers: { authorization: `Bearer ${org.users.agent1.token}` },
    });
    expect(authed.statusCode).toBe(200);
    expect(authed.json()).toHaveProperty("items");
  });

  it("still serves the OpenAPI document", async () => {
    const res = await app.inject({ method: "GET", url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveProperty("openapi");
  });

  it("serves no app, and logs why, when nothing is built", async () => {
    const lines: string[] = [];
    const { default: pino } = await import("pino");
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const empty = mkdtempSync(path.join(tmpdir(), "okno-desktop-empty-"));
    const bare = await buildApp({ config: testConfig(), db, log, desktopDir: empty });
    try {
      await bare.ready();
      expect((await bare.inject({ method: "GET", url: "/" })).statusCode).toBe(404);
      expect(lines.some((l) => l.includes("agent desktop not built"))).toBe(true);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
