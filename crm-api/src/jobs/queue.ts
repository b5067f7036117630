import type { Knex } from "knex";

/** A job as a worker sees it once claimed. */
export interface Job {
  id: number;
  kind: string;
  /** As stored; each handler validates its own payload (it is input from outside the process). */
  payload: unknown;
  runAt: Date;
  /** Including the current run. */
  attempts: number;
  maxAttempts: number;
  dedupeKey: string | null;
}

interface JobRow {
  id: number | string;
  kind: string;
  payload: unknown;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  dedupe_key: string | null;
}

const toJob = (row: JobRow): Job => ({
  id: Number(row.id),
  kind: row.kind,
  payload: row.payload,
  runAt: new Date(row.run_at),
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  dedupeKey: row.dedupe_key,
});

export interface EnqueueOptions {
  /** When the job becomes due; now by default. */
  runAt?: Date;
  /** A job with this key already exists (done or not): nothing is added. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a job. Pass the caller's transaction to make the job part of its change (a robot's timer is
 * scheduled only if the deal it watches is saved). Returns the id, or null when the dedupe key is taken.
 */
export async function enqueue(
  db: Knex | Knex.Transaction,
  kind: string,
  payload: Record<string, unknown> = {},
  options: EnqueueOptions = {},
): Promise<number | null> {
  const rows = await db("jobs")
    .insert({
      kind,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? db.fn.now(),
      dedupe_key: options.dedupeKey ?? null,
      max_attempts: options.maxAttempts ?? 5,
    })
    .onConflict("dedupe_key")
    .ignore()
    .returning<{ id: number | string }[]>("id");
  return rows[0] ? Number(rows[0].id) : null;
}

export interface ClaimOptions {
  workerId: string;
  /** Kinds this instance has handlers for: an older instance never takes a job only a newer one knows. */
  kinds: string[];
  limit: number;
  /** A lock older than this belongs to an instance that died mid-run; its job is taken again. */
  lockTimeoutMs: number;
}

/**
 * Takes up to `limit` due jobs in one short statement. `FOR UPDATE SKIP LOCKED` lets concurrent workers
 * pass over rows another worker is claiming, and the outer UPDATE re-checks the row under its lock, so a
 * job claimed and committed by one worker no longer matches for the other: no job runs twice.
 */
export async function claimJobs(db: Knex, options: ClaimOptions): Promise<Job[]> {
  if (options.kinds.length === 0) {
    return [];
  }
  const result = await db.raw<{ rows: JobRow[] }>(
    `update jobs set locked_at = now(), locked_by = ?, attempts = attempts + 1
     where id in (
       select id from jobs
       where done_at is null and run_at <= now() and attempts < max_attempts and kind = any(?::text[])
         and (locked_at is null or locked_at < now() - make_interval(secs => ?))
       order by run_at, id
       limit ?
       for update skip locked)
     returning id, kind, payload, run_at, attempts, max_attempts, dedupe_key`,
    [options.workerId, options.kinds, options.lockTimeoutMs / 1000, options.limit],
  );
  return result.rows.map(toJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Keeps a long run's lock fresh, so it is not mistaken for a crashed one. */
export async function touchJob(db: Knex, id: number, workerId: string): Promise<void> {
  await db("jobs").where({ id, locked_by: workerId }).update({ locked_at: db.fn.now() });
}

/** Marks the job done; false when another worker has since reclaimed it (our lock had expired). */
export async function completeJob(
  db: Knex | Knex.Transaction,
  id: number,
  workerId: string,
): Promise<boolean> {
  const n = await db("jobs")
    .where({ id, locked_by: workerId })
    .whereNull("done_at")
    .update({ done_at: db.fn.now(), locked_at: null, locked_by: null, last_error: null });
  return n > 0;
}

/** Releases a failed job to run again after `retryInMs`, or for good when it has no attempts left. */
export async function failJob(
  db: Knex | Knex.Transaction,
  job: Job,
  workerId: string,
  error: string,
  retryInMs: number,
): Promise<void> {
  const retry = job.attempts < job.maxAttempts;
  await db("jobs")
    .where({ id: job.id, locked_by: workerId })
    .update({
      locked_at: null,
      locked_by: null,
      last_error: error.slice(0, 4000),
      ...(retry ? { run_at: db.raw("now() + make_interval(secs => ?)", [retryInMs / 1000]) } : {}),
    });
}

/** Deletes jobs finished more than `days` ago; failed ones stay for a person to read. */
export async function deleteFinishedJobs(db: Knex, days: number): Promise<number> {
  return db("jobs")
    .whereNotNull("done_at")
    .andWhere("done_at", "<", db.raw("now() - make_interval(days => ?)", [days]))
    .delete();
}
