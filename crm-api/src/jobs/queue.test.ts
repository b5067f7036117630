import { openTestDb } from "@okno/db/testDb";
import pino from "pino";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimJobs, enqueue } from "./queue.ts";
import { dailyAt, runKey, scheduleNext, type Schedule } from "./schedule.ts";
import { runDueJobs, startJobWorker, type JobHandlers } from "./worker.ts";

type TestDb = Awaited<ReturnType<typeof openTestDb>>;

const log = pino({ level: "silent" });

interface JobState {
  attempts: number;
  done: boolean;
  last_error: string | null;
  locked_by: string | null;
  /** Seconds from the database's now() to run_at. */
  due_in: number;
}

describe("job queue", () => {
  let db: TestDb;
  const ran: number[] = [];
  const record: JobHandlers = {
    "test.record": async (_payload, { job }) => {
      ran.push(job.id);
      await sleep(1);
    },
    "test.fail": () => Promise.reject(new Error("1C is not answering")),
  };
  const knex = () => db.knex;
  const state = async (id: number | null): Promise<JobState> =>
    await knex()("jobs")
      .where("id", id)
      .first<JobState>(
        "attempts",
        knex().raw("done_at is not null as done"),
        "last_error",
        "locked_by",
        knex().raw("extract(epoch from run_at - now())::float8 as due_in"),
      );
  const run = (handlers: JobHandlers = record, extra: { schedules?: Schedule[]; workerId?: string } = {}) =>
    runDueJobs({ db: knex(), log, handlers, ...extra });

  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    ran.length = 0;
    await knex()("jobs").delete();
  });

  it("runs a due job once and leaves a job that is not due yet", async () => {
    const due = await enqueue(knex(), "test.record", { dealId: "d1" });
    const later = await enqueue(knex(), "test.record", {}, { runAt: new Date(Date.now() + 3600_000) });
    expect(await run()).toBe(1);
    expect(ran).toEqual([due]);
    expect(await state(due)).toMatchObject({ done: true, attempts: 1, locked_by: null });
    expect(await state(later)).toMatchObject({ done: false, attempts: 0 });
    expect(await run()).toBe(0);
  });

  it("passes the stored payload to the handler", async () => {
    let seen: unknown;
    await enqueue(knex(), "test.payload", { leadId: "l1", minutes: 15 });
    await run({ "test.payload": async (payload) => void (seen = payload) });
    expect(seen).toEqual({ leadId: "l1", minutes: 15 });
  });

  it("leaves kinds this instance has no handler for to the instances that have one", async () => {
    const id = await enqueue(knex(), "test.newer-version", {});
    expect(await run()).toBe(0);
    expect(await state(id)).toMatchObject({ attempts: 0, done: false });
  });

  it("retries a failing job with exponential backoff, then gives up and keeps the error", async () => {
    const id = await enqueue(knex(), "test.fail", {}, { maxAttempts: 3 });
    await run();
    const first = await state(id);
    expect(first).toMatchObject({ attempts: 1, done: false, locked_by: null });
    expect(first.last_error).toContain("1C is not answering");
    expect(first.due_in).toBeGreaterThan(25);
    expect(first.due_in).toBeLessThanOrEqual(30);
    expect(await run()).toBe(0);

    await knex()("jobs")
      .where("id", id)
      .update({ run_at: knex().raw("now() - interval '1 second'") });
    await run();
    const second = await state(id);
    expect(second.attempts).toBe(2);
    expect(second.due_in).toBeGreaterThan(55);
    expect(second.due_in).toBeLessThanOrEqual(60);

    await knex()("jobs")
      .where("id", id)
      .update({ run_at: knex().raw("now() - interval '1 second'") });
    await run();
    await knex()("jobs")
      .where("id", id)
      .update({ run_at: knex().raw("now() - interval '1 second'") });
    expect(await run()).toBe(0);
    expect(await state(id)).toMatchObject({ attempts: 3, done: false });
  });

  it("takes over a job whose worker died mid-run once the lock times out", async () => {
    const id = await enqueue(knex(), "test.record", {});
    const opts = { workerId: "crashed", kinds: ["test.record"], limit: 1, lockTimeoutMs: 600_000 };
    expect(await claimJobs(knex(), opts)).toHaveLength(1);
    expect(await run()).toBe(0);

    await knex()("jobs")
      .where("id", id)
      .update({ locked_at: knex().raw("now() - interval '11 minutes'") });
    expect(await run()).toBe(1);
    expect(ran).toEqual([id]);
    expect(await state(id)).toMatchObject({ attempts: 2, done: true, locked_by: null });
  });

  it("queues the next run of a recurring job exactly once, however many instances schedule it", async () => {
    const nightly: Schedule = { kind: "test.record", next: dailyAt(3, 0, "Europe/Moscow") };
    await enqueue(knex(), "test.record", {});
    await run(record, { schedules: [nightly] });
    // Two more instances start up and schedule the same run.
    await scheduleNext(knex(), nightly);
    await scheduleNext(knex(), nightly);
    const pending = await knex()("jobs").whereNull("done_at").select("run_at", "dedupe_key");
    const next = nightly.next(new Date());
    expect(pending).toEqual([{ run_at: next, dedupe_key: runKey("test.record", next) }]);
    expect(next.getUTCHours()).toBe(0);
  });

  it("schedules the next run even when a recurring job fails for good", async () => {
    const nightly: Schedule = { kind: "test.fail", next: dailyAt(3, 0, "Europe/Moscow") };
    await enqueue(knex(), "test.fail", {}, { maxAttempts: 1 });
    await run(record, { schedules: [nightly] });
    expect(await knex()("jobs").where("run_at", nightly.next(new Date())).pluck("kind")).toEqual([
      "test.fail",
    ]);
  });

  it("never runs one job twice when two workers claim at the same time", async () => {
    const ids: (number | null)[] = [];
    for (let i = 0; i < 30; i += 1) {
      ids.push(await enqueue(knex(), "test.record", { n: i }));
    }
    const byWorker: Record<string, number> = { w1: 0, w2: 0 };
    const loop = async (workerId: string) => {
      let n: number;
      while ((n = await runDueJobs({ db: knex(), log, handlers: record, workerId, batchSize: 1 })) > 0) {
        byWorker[workerId]! += n;
      }
    };
    await Promise.all([loop("w1"), loop("w2")]);
    expect([...ran].sort((a, b) => a - b)).toEqual(ids);
    expect(byWorker.w1! + byWorker.w2!).toBe(30);
    if (db.kind === "postgres") {
      // Two connections really race on PostgreSQL; PGlite's single connection serialises the claims.
      expect(byWorker.w1).toBeGreaterThan(0);
      expect(byWorker.w2).toBeGreaterThan(0);
    }
  });

  it("a started worker schedules its recurring jobs, runs due work, and stops cleanly", async () => {
    const id = await enqueue(knex(), "test.record", {});
    const nightly: Schedule = { kind: "test.nightly", next: dailyAt(3, 0, "Europe/Moscow") };
    const worker = startJobWorker({
      db: knex(),
      log,
      handlers: { ...record, "test.nightly": () => Promise.resolve() },
      schedules: [nightly],
      pollMs: 10,
    });
    for (let i = 0; i < 200 && !(await state(id)).done; i += 1) {
      await sleep(10);
    }
    await worker.stop();
    expect(ran).toEqual([id]);
    expect(await knex()("jobs").where("kind", "test.nightly").pluck("dedupe_key")).toEqual([
      runKey("test.nightly", nightly.next(new Date())),
    ]);
  });
});
