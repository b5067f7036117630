import type { CallEvent } from "@okno/contracts";
import type { Logger } from "../log.ts";
import { jobIdOf, openOutbox, type RecordingJob } from "./outbox.ts";
import { putRecording, reportFailure, type CrmTarget } from "./putRecording.ts";
import { RetryLater, type RecordingSource } from "./sources.ts";

export interface RecordingUploaderOptions {
  target: CrmTarget;
  /** DATA_DIR/recordings-outbox. */
  outboxDir: string;
  /** How to fetch recordings, by PBX connection id ("ast1", "mango"); others' recording.ready is ignored. */
  sources: Record<string, RecordingSource>;
  log: Logger;
  /** Attempts before giving up on a recording (default 12: about 6 hours with the default backoff). */
  maxAttempts?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Uploads at once (default 2): recordings are big, events are not held up by them. */
  concurrency?: number;
}

export interface RecordingUploader {
  /**
   * Sees every CallEvent the adapters emit; a recording.ready of a PBX with a source becomes a job, and
   * the promise resolves once that job is on disk (null when the event makes no new job).
   */
  observe(event: CallEvent): Promise<void> | null;
  /** Starts working through the outbox (after crm-api is up). */
  start(): void;
  /** Resolves once no job is left or running, or false after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<boolean>;
  stats(): { pending: number; running: number; uploaded: number; failed: number };
  /** Stops; unfinished jobs stay in the outbox for the next start. */
  close(): Promise<void>;
}

type Outcome =
  | { kind: "done" }
  /** `isFinal`: crm-api refused the file itself, so trying again would only be refused again. */
  | { kind: "retry"; reason: string; inMs: number; isAttempt: boolean; isFinal?: boolean };

/** Exponential backoff with ±20 % jitter, so many jobs failing together do not retry together. */
const backoffMs = (attempts: number, b: { initialMs: number; maxMs: number }) =>
  Math.min(b.maxMs, b.initialMs * 2 ** Math.max(0, attempts - 1)) * (0.8 + Math.random() * 0.4);

/**
 * Fetches each announced recording from its PBX and streams it to crm-api, durably:
 *
 *   recording.ready ─► outbox file (pending) ─► source ─► PUT /cti/recordings/:id ─200/201─► file removed
 *                           ▲                                   │
 *                           └── nextAt = now + backoff ◄────────┘ 5xx, network, PBX error, 401/403
 *   attempts ≥ maxAttempts, or crm-api refuses the file (400, 413, 415) ─► failed ─► POST …/failure ─► removed
 */
export async function openRecordingUploader(options: RecordingUploaderOptions): Promise<RecordingUploader> {
  const { target, sources, maxAttempts = 12, concurrency = 2 } = options;
  const backoff = options.backoff ?? { initialMs: 30_000, maxMs: 60 * 60_000 };
  const log = options.log.child({ module: "recordings" });
  const outbox = openOutbox(options.outboxDir, log);
  const jobs = new Map((await outbox.load()).map((job) => [job.id, job]));
  const running = new Map<string, Promise<void>>();
  const stop = new AbortController();
  const counters = { uploaded: 0, failed: 0 };
  /** Jobs finished in this run: a recording.ready delivered again (AMI resync) is not uploaded again. */
  const done = new Set<string>();
  let isStarted = false;
  let timer: NodeJS.Timeout | null = null;
  let writes: Promise<void> = Promise.resolve();
  if (jobs.size > 0) {
    log.info({ jobs: jobs.size }, "recording jobs recovered");
  }

  const save = (job: RecordingJob) => {
    jobs.set(job.id, job);
    writes = writes
      .then(() => outbox.save(job))
      .catch((err: unknown) => log.error({ err }, "outbox write failed"));
    return writes;
  };
  const forget = async (job: RecordingJob) => {
    jobs.delete(job.id);
    await writes;
    await outbox.remove(job.id);
  };

  async function attempt(job: RecordingJob): Promise<Outcome> {
    const source = sources[job.pbx];
    if (!source) {
      return { kind: "retry", reason: `no source for pbx ${job.pbx}`, inMs: 0, isAttempt: true };
    }
    try {
      const file = await source(job, stop.signal);
      const res = await putRecording(target, job, file, stop.signal);
      if (res.status === 200 || res.status === 201) {
        return { kind: "done" };
      }
      const reason = `crm-api answered ${res.status}`;
      const isFinal = res.status === 400 || res.status === 413 || res.status === 415;
      return { kind: "retry", reason, inMs: backoffMs(job.attempts + 1, backoff), isAttempt: true, isFinal };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof RetryLater) {
        const inMs = Math.max(err.retryInMs, err.isAttempt ? backoffMs(job.attempts + 1, backoff) : 0);
        return { kind: "retry", reason, inMs, isAttempt: err.isAttempt };
      }
      return { kind: "retry", reason, inMs: backoffMs(job.attempts + 1, backoff), isAttempt: true };
    }
  }

  async function run(job: RecordingJob): Promise<void> {
    const outcome = job.status === "pending" ? await attempt(job) : null;
    if (stop.signal.aborted) {
      return;
    }
    if (outcome?.kind === "done") {
      counters.uploaded += 1;
      done.add(job.id);
      log.info({ callId: job.callId, attempts: job.attempts + 1 }, "recording uploaded");
      await forget(job);
      return;
    }
    if (outcome) {
      const attempts = job.attempts + (outcome.isAttempt ? 1 : 0);
      const gaveUp = attempts >= maxAttempts || outcome.isFinal === true;
      const nextAt = new Date(Date.now() + (gaveUp ? 0 : outcome.inMs)).toISOString();
      job = { ...job, attempts, nextAt, lastError: outcome.reason, status: gaveUp ? "failed" : "pending" };
      if (gaveUp) {
        counters.failed += 1;
        log.error({ callId: job.callId, attempts, reason: outcome.reason }, "recording upload given up");
      }
      await save(job);
      if (!gaveUp) {
        return;
      }
    }
    await tellFailure(job);
  }

  /** A failed job stays until crm-api knows; the report is retried like an upload. */
  async function tellFailure(job: RecordingJob): Promise<void> {
    const status = await reportFailure(target, job, job.lastError ?? "gave up").catch(() => 0);
    if (status === 204) {
      await forget(job);
    } else {
      await save({ ...job, nextAt: new Date(Date.now() + backoffMs(1, backoff)).toISOString() });
    }
  }

  function pump(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!isStarted || stop.signal.aborted) {
      return;
    }
    const now = Date.now();
    const waiting = [...jobs.values()].filter((j) => !running.has(j.id));
    for (const job of waiting.filter((j) => Date.parse(j.nextAt) <= now)) {
      if (running.size >= concurrency) {
        break;
      }
      const task = run(job)
        .catch((err: unknown) => log.error({ err, callId: job.callId }, "recording job failed"))
        .finally(() => {
          running.delete(job.id);
          pump();
        });
      running.set(job.id, task);
    }
    const next = Math.min(
      ...[...jobs.values()].filter((j) => !running.has(j.id)).map((j) => Date.parse(j.nextAt)),
    );
    if (Number.isFinite(next) && running.size < concurrency) {
      timer = setTimeout(pump, Math.max(0, next - Date.now()));
      timer.unref();
    }
  }

  return {
    observe(event) {
      if (event.type !== "recording.ready" || !sources[event.pbx]) {
        return null;
      }
      const id = jobIdOf(event.callId, event.recordingId);
      if (jobs.has(id) || done.has(id)) {
        return null;
      }
      const now = new Date().toISOString();
      const job: RecordingJob = {
        v: 1,
        id,
        pbx: event.pbx,
        callId: event.callId,
        recordingId: event.recordingId,
        ...(event.durationSec === undefined ? {} : { durationSec: event.durationSec }),
        createdAt: now,
        attempts: 0,
        nextAt: now,
        status: "pending",
        lastError: null,
      };
      const saved = save(job);
      void saved.then(pump);
      return saved;
    },
    start() {
      isStarted = true;
      pump();
    },
    async drain(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (jobs.size > 0 || running.size > 0) {
        if (Date.now() > deadline) {
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await writes;
      return true;
    },
    stats: () => ({ pending: jobs.size - running.size, running: running.size, ...counters }),
    async close() {
      stop.abort();
      if (timer) {
        clearTimeout(timer);
      }
      await Promise.allSettled(running.values());
      await writes;
    },
  };
}
