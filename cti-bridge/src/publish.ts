import { appendFile } from "node:fs/promises";
import path from "node:path";
import { CALL_EVENTS_VERSION, CallEvent, CallEventBatchResult } from "@okno/contracts";
import type { Logger } from "./log.ts";
import { openSpool, type SpooledEvent } from "./spool.ts";

export interface PublisherOptions {
  /** crm-api's base URL ("http://127.0.0.1:8080"). */
  url: string;
  /** crm-api's CTI_TOKEN. */
  token: string;
  spoolDir: string;
  log: Logger;
  /** Most events in one POST. */
  maxBatch?: number;
  /** How long the first event of a batch waits for company (ARCHITECTURE §3: ≤ 5 ms). */
  lingerMs?: number;
  requestTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export interface PublisherStats {
  published: number;
  delivered: number;
  /** Events crm-api had already applied (a retry after a lost answer): harmless. */
  duplicates: number;
  /** Events crm-api refused as invalid; kept in `spool/rejected.jsonl`. */
  rejected: number;
  /** Events that failed the contract before sending (a bug in an adapter). */
  invalid: number;
  retries: number;
  /** Published and not yet acknowledged. */
  pending: number;
}

export interface Publisher {
  /** Hands an event over; it is spooled and delivered in order. Never throws. */
  publish(event: CallEvent): void;
  /** Starts delivering (events published before are kept and go first). */
  start(): void;
  /** Resolves true once everything published so far is acknowledged, false after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<boolean>;
  stats(): PublisherStats;
  /** Stops delivering; what is not acknowledged stays in the spool for the next start. */
  close(): Promise<void>;
}

type Outcome =
  { kind: "ok"; duplicates: number } | { kind: "retry"; reason: string } | { kind: "reject"; reason: string };

/**
 * Delivers CallEvents to crm-api: batched (an event waits at most `lingerMs` for others, a batch holds at
 * most `maxBatch`), one POST in flight at a time so crm-api sees events in the order the PBX produced
 * them — but for ringing and answers, which overtake the backlog (isUrgent) — retried with jittered exponential backoff while crm-api is unreachable or failing, and written
 * to the disk spool before anything else so that neither an outage nor a restart loses one. crm-api
 * is idempotent by event id, so a batch delivered twice (the answer was lost) changes nothing.
 *
 *   publish ─► buffer ─(≤ lingerMs)─► spool.append ─► urgent, queue ─► POST ─ok─► spool.ack
 *                                                       ▲        │
 *                                                       └─retry──┘ (5xx, 409, 429, network, 401/403)
 *   A 400 splits the batch until the bad event is alone; it goes to spool/rejected.jsonl.
 */
export async function openPublisher(options: PublisherOptions): Promise<Publisher> {
  const { url, token, log, maxBatch = 50, lingerMs = 5, requestTimeoutMs = 10_000 } = options;
  const backoff = options.backoff ?? { initialMs: 100, maxMs: 10_000 };
  const spool = await openSpool(options.spoolDir, log);
  const queue: SpooledEvent[] = [...spool.recovered];
  /** Ringing and answer events: they go out ahead of the queue (see isUrgent). */
  const urgent: SpooledEvent[] = [];
  const stats = { published: 0, delivered: 0, duplicates: 0, rejected: 0, invalid: 0, retries: 0 };
  let buffer: CallEvent[] = [];
  let lingerTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let isStarted = false;
  let isClosed = false;
  let inFlight: Promise<void> | null = null;
  let failures = 0;
  /** Shrinks while a refused batch is split to find the event crm-api does not accept. */
  let limit = maxBatch;
  let drainWaiters: (() => void)[] = [];

  const isIdle = () => buffer.length === 0 && queue.length === 0 && urgent.length === 0 && inFlight === null;

  function flushBuffer(): void {
    if (lingerTimer) {
      clearTimeout(lingerTimer);
      lingerTimer = null;
    }
    if (buffer.length === 0) {
      return;
    }
    const events = buffer;
    buffer = [];
    const { segment } = spool.append(events);
    for (const event of events) {
      (isUrgent(event) ? urgent : queue).push({ event, segment });
    }
    pump();
  }

  function pump(): void {
    if (!isStarted || isClosed || inFlight || retryTimer || queue.length + urgent.length === 0) {
      if (isIdle()) {
        drainWaiters.forEach((wake) => wake());
        drainWaiters = [];
      }
      return;
    }
    const fromUrgent = Math.min(urgent.length, limit);
    const batch = [...urgent.slice(0, fromUrgent), ...queue.slice(0, limit - fromUrgent)];
    inFlight = send(batch).then((outcome) => {
      inFlight = null;
      settle(batch, fromUrgent, outcome);
      pump();
    });
  }

  function settle(batch: SpooledEvent[], fromUrgent: number, outcome: Outcome): void {
    switch (outcome.kind) {
      case "ok":
        if (failures > 0) {
          log.info({ failures }, "crm-api reachable again");
        }
        failures = 0;
        limit = maxBatch;
        stats.delivered += batch.length;
        stats.duplicates += outcome.duplicates;
        acknowledge(batch, fromUrgent);
        return;
      case "retry": {
        failures += 1;
        stats.retries += 1;
        const delay = backoffDelay(failures, backoff);
        // The first failure and then every tenth: an outage of minutes should not flood the log.
        if (failures === 1 || failures % 10 === 0) {
          log.warn(
            { reason: outcome.reason, failures, pending: queue.length + urgent.length, retryInMs: delay },
            "crm-api unavailable, events kept in spool",
          );
        }
        retryTimer = setTimeout(() => {
          retryTimer = null;
          pump();
        }, delay);
        return;
      }
      case "reject":
        if (batch.length > 1) {
          limit = Math.ceil(batch.length / 2);
          return;
        }
        stats.rejected += 1;
        log.error(
          { reason: outcome.reason, eventId: batch[0]!.event.id, callId: batch[0]!.event.callId },
          "call event refused by crm-api",
        );
        void appendFile(
          path.join(options.spoolDir, "rejected.jsonl"),
          `${JSON.stringify(batch[0]!.event)}\n`,
        );
        limit = maxBatch;
        acknowledge(batch, fromUrgent);
        return;
    }
  }

  /** The batch is the heads of the two queues (only appended to meanwhile): it leaves them. */
  function acknowledge(batch: SpooledEvent[], fromUrgent: number): void {
    urgent.splice(0, fromUrgent);
    queue.splice(0, batch.length - fromUrgent);
    const bySegment = new Map<number, number>();
    for (const { segment } of batch) {
      bySegment.set(segment, (bySegment.get(segment) ?? 0) + 1);
    }
    for (const [segment, count] of bySegment) {
      spool.ack(segment, count);
    }
  }

  async function send(batch: SpooledEvent[]): Promise<Outcome> {
    try {
      const res = await fetch(`${url}/api/v1/cti/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ version: CALL_EVENTS_VERSION, events: batch.map((s) => s.event) }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.text();
      if (res.ok) {
        const result = CallEventBatchResult.safeParse(JSON.parse(text));
        return { kind: "ok", duplicates: result.success ? result.data.duplicates : 0 };
      }
      // 400/413/422: this batch will never be accepted as it is. Everything else may pass later:
      // 5xx and 429 by themselves, 401/403 once the operator fixes CTI_TOKEN, 409 (a unique race).
      const reason = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      return [400, 413, 422].includes(res.status) ? { kind: "reject", reason } : { kind: "retry", reason };
    } catch (err) {
      return { kind: "retry", reason: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    publish(event) {
      if (isClosed) {
        log.error({ eventId: event.id }, "event published after close: dropped");
        return;
      }
      const parsed = CallEvent.safeParse(event);
      if (!parsed.success) {
        stats.invalid += 1;
        log.warn({ callId: event.callId, issues: parsed.error.issues.length }, "invalid call event dropped");
        return;
      }
      stats.published += 1;
      buffer.push(parsed.data);
      if (buffer.length >= maxBatch) {
        flushBuffer();
      } else {
        lingerTimer ??= setTimeout(flushBuffer, lingerMs);
      }
    },
    start() {
      isStarted = true;
      pump();
    },
    async drain(timeoutMs = 30_000) {
      flushBuffer();
      const isDrained =
        isIdle() ||
        (await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          drainWaiters.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        }));
      // Acknowledged segments are deleted in the background: a drained publisher has an empty spool.
      await spool.settled();
      return isDrained;
    },
    stats: () => ({ ...stats, pending: buffer.length + urgent.length + queue.length }),
    async close() {
      flushBuffer();
      isClosed = true;
      if (retryTimer) {
        clearTimeout(retryTimer);
        retryTimer = null;
      }
      await inFlight;
      await spool.close();
    },
  };
}

/**
 * A ringing call pops the agent's card and an answer closes it for the others: these overtake the
 * backlog (the rest of a busy minute's leg ends, holds and recordings), so a screen pop never queues
 * behind bookkeeping. They only ever move earlier, so a call's answer still reaches crm-api before its
 * end; crm-api merges the rest of a call's events whatever order they come in (cti/callState.ts).
 */
function isUrgent(event: CallEvent): boolean {
  return event.type === "call.ringing" || event.type === "call.answered";
}

/** Exponential backoff with ±20 % jitter, so bridges restarted together do not retry in step. */
export function backoffDelay(failures: number, b: { initialMs: number; maxMs: number }): number {
  const base = Math.min(b.maxMs, b.initialMs * 2 ** Math.min(failures - 1, 20));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
