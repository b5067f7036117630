import { normalizePhone, type CallEvent, type CallEventBatchResult } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { applyCallEvent, type Call } from "./callState.ts";
import { readCall } from "./context.ts";
import { lockKeys } from "./repo.ts";
import { applyCall, lineOf, numberOf } from "./service.ts";

type BatchResult = z.infer<typeof CallEventBatchResult>;

/**
 * Calls of one batch applied at once on PostgreSQL. A call's work is a few short statements, each
 * mostly a wait for the database: two calls in flight keep both the server and PostgreSQL busy. The
 * bridge posts on four lanes (cti-bridge/src/publish.ts), so up to eight calls' transactions run at once
 * and the pool (10) keeps room for the rest of the API.
 */
export const CALLS_IN_FLIGHT = 2;

/**
 * Applies a batch from the bridge: events already applied are skipped (by id), the others are merged
 * into their calls, each call in a transaction of its own with its contact, owner, source, callback and
 * pushes. Calls are independent, so they run `concurrency` at a time; a call's events stay in order.
 * If any call fails the request fails and the bridge sends the batch again: the calls that were
 * committed then count as duplicates, and only the failed ones are applied.
 */
export async function applyBatch(
  db: Knex,
  events: readonly CallEvent[],
  concurrency = 1,
): Promise<BatchResult> {
  const byCall = new Map<string, CallEvent[]>();
  for (const e of events) {
    byCall.set(e.callId, [...(byCall.get(e.callId) ?? []), e]);
  }
  const calls = [...byCall.values()];
  let accepted = 0;
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const list = calls[next]!;
      next += 1;
      const applied = await applyCallEvents(db, list);
      accepted += applied;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
  return { accepted, duplicates: events.length - accepted };
}

/** The outside numbers the events ring, in E.164. */
function ringingNumbers(events: readonly CallEvent[]): string[] {
  return events
    .map((e) =>
      e.type !== "call.ringing" ? null : e.direction === "in" ? e.from : e.direction === "out" ? e.to : null,
    )
    .map((party) => (party ? normalizePhone(party) : null))
    .filter((n): n is string => n !== null);
}

/**
 * One call's events of a batch, in one transaction; returns how many were new. Six round trips when
 * the caller is known: begin, lock, read (context.ts), upsert, publish (service.ts), commit.
 */
async function applyCallEvents(db: Knex, events: readonly CallEvent[]): Promise<number> {
  return db.transaction(async (trx) => {
    const callId = events[0]!.callId;
    // The outside number of a ringing call is locked with the call: two calls from one unknown number
    // must not both create a contact for it. (Not the dialled line: every call would queue behind it.)
    await lockKeys(trx, [`call:${callId}`, ...ringingNumbers(events).map((n) => `phone:${n}`)]);
    // What the events alone say the call's number and line are; the stored call may say otherwise.
    const guess = events.reduce<Call | null>(applyCallEvent, null)!;
    const line = lineOf(guess);
    const read = await readCall(
      trx,
      events,
      { number: numberOf(guess), line, sourceTag: line ? guess.sourceTag : null, startedAt: guess.startedAt },
      events.some((e) => e.type === "call.ringing" || e.type === "call.answered"),
    );
    const news = events.filter((e) => read.fresh.has(e.id));
    if (news.length === 0) {
      return 0;
    }
    const call = news.reduce<Call | null>(applyCallEvent, read.row?.payload.call ?? null)!;
    await applyCall(trx, read, call);
    return news.length;
  });
}
