import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyBaseLogger } from "fastify";
import type { Knex } from "knex";
import { claimJobs, completeJob, failJob, touchJob, type Job } from "./queue.ts";
import { scheduleNext, type Schedule } from "./schedule.ts";

/** What a handler gets: explicit arguments, no container. */
export interface JobContext {
  db: Knex;
  log: FastifyBaseLogger;
  job: Job;
}

/** Runs one job. Throwing fails the run: the job is retried with backoff until its attempts run out. */
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

/** Handlers by job kind: a plain map, the whole registry. */
export type JobHandlers = Readonly<Record<string, JobHandler>>;

export interface WorkerOptions {
  db: Knex;
  log: FastifyBaseLogger;
  handlers: JobHandlers;
  schedules?: readonly Schedule[];
  /** Names this worker in `locked_by`; unique per process. */
  workerId?: string;
  /** Jobs claimed per round. */
  batchSize?: number;
  lockTimeoutMs?: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;

/** Exponential backoff: 30 s after the first failure, then 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * Claims the due jobs once and runs them one after another; returns how many ran (successfully or not).
 * The claim is a short transaction of its own; the handler runs outside it, holding only the lock column.
 */
export async function runDueJobs(options: WorkerOptions): Promise<number> {
  const { db, handlers } = options;
  const workerId = options.workerId ?? newWorkerId();
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const jobs = await claimJobs(db, {
    workerId,
    kinds: Object.keys(handlers),
    limit: options.batchSize ?? 10,
    lockTimeoutMs,
  });
  for (const job of jobs) {
    await runJob({ ...options, workerId, lockTimeoutMs }, job);
  }
  return jobs.length;
}

async function runJob(
  options: WorkerOptions & { workerId: string; lockTimeoutMs: number },
  job: Job,
): Promise<void> {
  const { db, workerId } = options;
  const log = options.log.child({ jobId: job.id, kind: job.kind });
  const handler = options.handlers[job.kind]!;
  const schedule = options.schedules?.find((s) => s.kind === job.kind);
  const heartbeat = setInterval(() => {
    touchJob(db, job.id, workerId).catch((err: unknown) => log.warn({ err }, "job heartbeat failed"));
  }, options.lockTimeoutMs / 3);
  let error: unknown;
  try {
    await handler(job.payload, { db, log, job });
  } catch (err) {
    error = err;
  } finally {
    clearInterval(heartbeat);
  }
  await db.transaction(async (trx) => {
    if (error === undefined) {
      if (!(await completeJob(trx, job.id, workerId))) {
        log.warn("job finished after its lock expired and was reclaimed");
      }
    } else {
      const message = error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error);
      await failJob(trx, job, workerId, message, retryDelayMs(job.attempts));
      const final = job.attempts >= job.maxAttempts;
      log[final ? "error" : "warn"]({ err: error, attempts: job.attempts }, "job failed");
      if (!final) {
        return;
      }
    }
    // A recurring job queues its next run in the transaction that closes this one.
    if (schedule) {
      await scheduleNext(trx, schedule);
    }
  });
}

export interface JobWorker {
  /** Stops polling and waits for the job in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Polls for due jobs until stopped: runs rounds back to back while there is work, then sleeps `pollMs`.
 * Queues the next run of every schedule first, so a fresh database gets its nightly jobs.
 */
export function startJobWorker(options: WorkerOptions & { pollMs?: number }): JobWorker {
  const pollMs = options.pollMs ?? 5_000;
  const opts = { ...options, workerId: options.workerId ?? newWorkerId() };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;

  const tick = async () => {
    try {
      if (!scheduled) {
        for (const schedule of opts.schedules ?? []) {
          await scheduleNext(opts.db, schedule);
        }
        scheduled = true;
      }
      while (!stopped && (await runDueJobs(opts)) > 0) {
        // more work may be due right away
      }
    } catch (err) {
      opts.log.error({ err }, "job worker round failed");
    }
  };
  let running = tick();
  const loop = () => {
    void running.then(() => {
      if (!stopped) {
        timer = setTimeout(() => {
          running = tick();
          loop();
        }, pollMs);
      }
    });
  };
  loop();
  opts.log.info({ workerId: opts.workerId }, "job worker started");

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
