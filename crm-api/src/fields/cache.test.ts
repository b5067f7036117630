import { openDb } from "@okno/db";
import { testDbUrl } from "@okno/db/testDb";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { testConfig } from "../config.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

/** Retries `probe` until it holds: a NOTIFY reaches the other instance a moment after the commit. */
async function eventually(probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) {
      throw new Error("condition not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// PostgreSQL: the second instance has its own pool, cache and LISTEN connection, as on a second host.
// PGlite has one database per process, so the second app shares the Db (and with it the cache).
describe("field definitions across two app instances on one database", () => {
  let t: TestApp;
  let b: FastifyInstance;
  let closeDb2: () => Promise<void>;

  beforeAll(async () => {
    t = await startTestApp();
    const dbUrl = testDbUrl(t.db);
    const db2 = dbUrl ? await openDb({ databaseUrl: dbUrl, poolMax: 2 }) : t.db;
    closeDb2 = () => (db2 === t.db ? Promise.resolve() : db2.close());
    b = await buildApp({ config: testConfig(), db: db2 });
    await b.ready();
  });
  afterAll(async () => {
    await b.close();
    await closeDb2();
    await t.close();
  });

  const createOnB = (fields: Record<string, unknown>) =>
    b.inject({
      method: "POST",
      url: "/api/v1/contacts",
      headers: t.as("manager1"),
      payload: { firstName: "Ирина", fields },
    });
  const keysOnB = async () => {
    const res = await b.inject({ url: "/api/v1/fields?entity=contacts", headers: t.as("agent1") });
    return res.json<{ items: { key: string; label: string }[] }>().items;
  };

  it("applies a change made through one instance on the other without a restart", async () => {
    // B loads (and caches) the definitions before A changes them.
    expect(await keysOnB()).toEqual([]);
    expect((await createOnB({ floor: 3 })).statusCode).toBe(400);

    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/fields",
      headers: t.as("admin"),
      payload: { entity: "contacts", key: "floor", label: "Этаж", type: "number" },
    });
    expect(created.statusCode).toBe(201);
    await eventually(async () => (await keysOnB()).length === 1);
    const written = await createOnB({ floor: 3 });
    expect(written.statusCode, written.body).toBe(201);

    const id = created.json<{ id: string }>().id;
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/fields/${id}`,
      headers: t.as("admin"),
      payload: { label: "Этаж квартиры" },
    });
    await eventually(async () => (await keysOnB())[0]?.label === "Этаж квартиры");

    await t.app.inject({ method: "DELETE", url: `/api/v1/fields/${id}`, headers: t.as("admin") });
    await eventually(async () => (await keysOnB()).length === 0);
    const refused = await createOnB({ floor: 4 });
    expect(refused.json().error.fields).toEqual({ "body.fields.floor": "unknown field" });
  });
});
