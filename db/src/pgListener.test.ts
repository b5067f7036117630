import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgListener } from "./pgListener.ts";
import { openTestDb, testDbUrl } from "./testDb.ts";

// The listener is PostgreSQL's; PGlite listens in process and cannot lose its connection.
describe.skipIf(!process.env.DATABASE_URL)("PostgreSQL listener", () => {
  let db: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("reconnects after its connection is killed and keeps delivering", async () => {
    const listener = createPgListener(testDbUrl(db)!);
    const got: string[] = [];
    await listener.listen("okno_test_channel", (p) => got.push(p));
    await db.knex.raw("select pg_notify('okno_test_channel', 'before')");
    await expect.poll(() => got).toContain("before");

    const pid = await listener.backendPid();
    await db.knex.raw("select pg_terminate_backend(?)", [pid]);
    // Keep notifying until one arrives: the listener is back once a post-kill notice gets through.
    let n = 0;
    await expect
      .poll(
        async () => {
          n += 1;
          await db.knex.raw("select pg_notify('okno_test_channel', ?)", [`after-${n}`]);
          return got.some((p) => p.startsWith("after-"));
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
    expect(await listener.backendPid()).not.toBe(pid);
    await listener.close();
  });
});
