import type { CallEvent } from "@okno/contracts";

/** crm-api takes at most this many events per POST /calls/softphone-events (SoftphoneEventBatch). */
export const MAX_BATCH = 50;
/** A burst (ringing, answered a moment later) goes out as one request. */
const BATCH_DELAY_MS = 150;
const MAX_RETRY_DELAY_MS = 30_000;
/**
 * How often a joined call's report may be refused (403) before it is dropped: crm-api lets a colleague
 * report a call only once the transferring agent's `call.transferred` has arrived, which may be a moment
 * after the customer landed here. About 30 s of patience in all.
 */
const FORBIDDEN_RETRIES = 6;

export interface ReportOptions {
  /** The call is a colleague's, transferred here: a 403 means their report is still on its way. */
  waitsForColleague: boolean;
}

export interface ReportQueueOptions {
  /** Sends one batch; throws an error with the HTTP `status` (0 when crm-api was not reached). */
  send: (events: CallEvent[]) => Promise<void>;
  now?: () => number;
}

export interface ReportQueue {
  push: (events: readonly CallEvent[], options: ReportOptions) => void;
  /** Sends everything queued now (ignoring the batching delay) and resolves when the attempt is over. */
  flush: () => Promise<void>;
  /** Events not yet accepted by crm-api. */
  pending: () => number;
}

interface Entry {
  events: CallEvent[];
  dueAt: number;
  attempts: number;
  forbiddenLeft: number;
}

/**
 * Leg reports on their way to crm-api, in memory, per call and in order. A network failure, a 5xx or a
 * 429 keeps the batch and retries with backoff (1 s, 2 s … 30 s) for as long as the page lives, so a
 * crm-api restart loses no leg; a refusal of the report itself (400, 409) drops it: sending it again
 * cannot change the answer. Events carry their own ids, so a batch sent twice is applied once.
 */
export function createReportQueue(options: ReportQueueOptions): ReportQueue {
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, Entry>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  function schedule(): void {
    clearTimeout(timer);
    if (running || entries.size === 0) {
      return;
    }
    const next = Math.min(...[...entries.values()].map((e) => e.dueAt));
    timer = setTimeout(() => void drain(false), Math.max(0, next - now()));
  }

  async function sendEntry(callId: string, entry: Entry): Promise<void> {
    const batch = entry.events.slice(0, MAX_BATCH);
    try {
      await options.send(batch);
      entry.events.splice(0, batch.length);
      entry.attempts = 0;
      entry.dueAt = now();
    } catch (error) {
      const status = statusOf(error);
      const isTransient = status === 0 || status === 429 || status >= 500;
      const mayWait = status === 403 && entry.forbiddenLeft > 0;
      if (!isTransient && !mayWait) {
        entry.events.splice(0, batch.length);
      } else {
        entry.forbiddenLeft -= mayWait ? 1 : 0;
        entry.dueAt = now() + Math.min(MAX_RETRY_DELAY_MS, (mayWait ? 500 : 1000) * 2 ** entry.attempts);
        entry.attempts += 1;
      }
    }
    if (entry.events.length === 0) {
      entries.delete(callId);
    }
  }

  async function drain(force: boolean): Promise<void> {
    if (running) {
      await running;
    }
    clearTimeout(timer);
    running = (async () => {
      for (const [callId, entry] of [...entries]) {
        if (force || entry.dueAt <= now()) {
          await sendEntry(callId, entry);
        }
      }
    })();
    try {
      await running;
    } finally {
      running = undefined;
      schedule();
    }
  }

  return {
    push(events, { waitsForColleague }) {
      for (const event of events) {
        let entry = entries.get(event.callId);
        if (!entry) {
          entry = { events: [], dueAt: now() + BATCH_DELAY_MS, attempts: 0, forbiddenLeft: 0 };
          entries.set(event.callId, entry);
        }
        entry.events.push(event);
        if (waitsForColleague) {
          entry.forbiddenLeft = Math.max(entry.forbiddenLeft, FORBIDDEN_RETRIES);
        }
      }
      schedule();
    },
    flush: () => drain(true),
    pending: () => [...entries.values()].reduce((sum, e) => sum + e.events.length, 0),
  };
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : 0;
}
