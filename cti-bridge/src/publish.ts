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
  /** Independent delivery queues, each with one POST in flight; a call always takes the same one. */
  lanes?: number;
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

/** One delivery queue: its own POST in flight, its own retries. A call's events all go through one lane. */
interface Lane {
  /** Ringing and answer events: they go out ahead of the queue (see isUrgent). */
  urgent: SpooledEvent[];
  queue: SpooledEvent[];
  inFlight: Promise<void> | null;
  retryTimer: NodeJS.Timeout | null;
  failures: number;
  /** Shrinks while a refused batch is split to find the event crm-api does not accept. */
  limit: number;
}

/**
 * Delivers CallEvents to crm-api: batched (an event waits at most `lingerMs` for others, a ringing or
 * answer not at all; a batch holds at most `maxBatch`), in `lanes` independent queues, each with one
 * POST in flight. A call's events all take the lane its id hashes to, so crm-api sees each call's events
 * in the order the PBX produced them — but for ringing and answers, which overtake the backlog
 * (isUrgent) — while a ringing call never waits for another lane's slow batch. Each lane retries with
 * jittered exponential backoff while crm-api is unreachable or failing. Events are written to the disk
 * spool before anything else so that neither an outage nor a restart loses one. crm-api is idempotent
 * by event id, so a batch delivered twice (the answer was lost) changes nothing.
 *
 *   publish ─► buffer ─(≤ lingerMs)─► spool.append ─► lane (by call id): urgent, queue ─► POST ─ok─► spool.ack
 *                                                                          ▲        │
 *                                                                          └─retry──┘ (5xx, 409, 429, network, 401/403)
 *   A 400 splits the batch until the bad event is alone; it goes to spool/rejected.jsonl.
 */
export async function openPublisher(options: PublisherOptions): Promise<Publisher> {
  const {
    url,
    token,
    log,
    maxBatch = 50,
    lingerMs = 5,
    requestTimeoutMs = 10_000,
    lanes: laneCount = 4,
  } = options;
  const backoff = options.backoff ?? { initialMs: 100, maxMs: 10_000 };
  const spool = await openSpool(options.spoolDir, log);
  const lanes: Lane[] = Array.from({ length: laneCount }, () => ({
    urgent: [],
    queue: [],
    inFlight: null,
    retryTimer: null,
    failures: 0,
    limit: maxBatch,
  }));
  const laneOf = (event: CallEvent) => lanes[laneIndex(event.callId, lanes.length)]!;
  const stats = { published: 0, delivered: 0, duplicates: 0, rejected: 0, invalid: 0, retries: 0 };
  let buffer: CallEvent[] = [];
  let lingerTimer: NodeJS.Timeout | null = null;
  let urgentFlush: NodeJS.Immediate | null = null;
  let isStarted = false;
  let isClosed = false;
  let drainWaiters: (() => void)[] = [];

  const pendingIn = (lane: Lane) => lane.urgent.length + lane.queue.length;
  const isIdle = () =>
    buffer.length === 0 && lanes.every((lane) => pendingIn(lane) === 0 && lane.inFlight === null);

  function enqueue(spooled: SpooledEvent): void {
    const lane = laneOf(spooled.event);
    (isUrgent(spooled.event) ? lane.urgent : lane.queue).push(spooled);
  }
  spool.recovered.forEach(enqueue);

  function flushBuffer(): void {
    if (lingerTimer) {
      clearTimeout(lingerTimer);
      lingerTimer = null;
    }
    if (urgentFlush) {
      clearImmediate(urgentFlush);
      urgentFlush = null;
    }
    if (buffer.length === 0) {
      return;
    }
    const events = buffer;
    buffer = [];
    const { segment } = spool.append(events);
    events.forEach((event) => enqueue({ event, segment }));
    lanes.forEach(pump);
  }

  function pump(lane: Lane): void {
    if (!isStarted || isClosed || lane.inFlight || lane.retryTimer || pendingIn(lane) === 0) {
      if (isIdle()) {
        drainWaiters.forEach((wake) => wake());
        drainWaiters = [];
      }
      return;
    }
    const fromUrgent = Math.min(lane.urgent.length, lane.limit);
    const batch = [...lane.urgent.slice(0, fromUrgent), ...lane.queue.slice(0, lane.limit - fromUrgent)];
    lane.inFlight = send(batch).then((outcome) => {
      lane.inFlight = null;
      settle(lane, batch, fromUrgent, outcome);
      pump(lane);
    });
  }

  function settle(lane: Lane, batch: SpooledEvent[], fromUrgent: number, outcome: Outcome): void {
    switch (outcome.kind) {
      case "ok":
        if (lane.failures > 0) {
          log.info({ failures: lane.failures }, "crm-api reachable again");
        }
        lane.failures = 0;
        lane.limit = maxBatch;
        stats.delivered += batch.length;
        stats.duplicates += outcome.duplicates;
        acknowledge(lane, batch, fromUrgent);
        return;
      case "retry": {
        lane.failures += 1;
        stats.retries += 1;
        const delay = backoffDelay(lane.failures, backoff);
        // The first failure and then every tenth: an outage of minutes should not flood the log.
        if (lane.failures === 1 || lane.failures % 10 === 0) {
          log.warn(
            { reason: outcome.reason, failures: lane.failures, pending: pendingIn(lane), retryInMs: delay },
            "crm-api unavailable, events kept in spool",
          );
        }
        lane.retryTimer = setTimeout(() => {
          lane.retryTimer = null;
          pump(lane);
        }, delay);
        return;
      }
      case "reject":
        if (batch.length > 1) {
          lane.limit = Math.ceil(batch.length / 2);
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
        lane.limit = maxBatch;
        acknowledge(lane, batch, fromUrgent);
        return;
    }
  }

  /** The batch is the heads of the lane's two queues (only appended to meanwhile): it leaves them. */
  function acknowledge(lane: Lane, batch: SpooledEvent[], fromUrgent: number): void {
    lane.urgent.splice(0, fromUrgent);
    lane.queue.splice(0, batch.length - fromUrgent);
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
      } else if (isUrgent(parsed.data)) {
        // A phone is ringing: no lingering. The events the same socket read produced still go with it.
        urgentFlush ??= setImmediate(flushBuffer);
      } else {
        lingerTimer ??= setTimeout(flushBuffer, lingerMs);
      }
    },
    start() {
      isStarted = true;
      lanes.forEach(pump);
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
    stats: () => ({ ...stats, pending: lanes.reduce((sum, lane) => sum + pendingIn(lane), buffer.length) }),
    async close() {
      flushBuffer();
      isClosed = true;
      for (const lane of lanes) {
        if (lane.retryTimer) {
          clearTimeout(lane.retryTimer);
          lane.retryTimer = null;
        }
      }
      await Promise.all(lanes.map((lane) => lane.inFlight ?? Promise.resolve()));
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

/** A call's lane by FNV-1a of its id: the same in every run, so a restart recovers the spool alike. */
export function laneIndex(callId: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < callId.length; i += 1) {
    hash = Math.imul(hash ^ callId.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
