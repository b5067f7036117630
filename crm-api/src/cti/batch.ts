import { normalizePhone, type CallEvent, type CallEventBatchResult } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { applyCallEvent, type Call } from "./callState.ts";
import { findCallRows, insertNewEvents, lockKeys } from "./repo.ts";
import { applyCall, numberOf } from "./service.ts";

type BatchResult = z.infer<typeof CallEventBatchResult>;

/**
 * Calls of one batch applied at once on PostgreSQL. A call's work is a dozen short statements, each
 * mostly a wait for the database: several calls in flight keep both the server and PostgreSQL busy,
 * and a ringing call is not held behind a long batch. The pool has room for the rest of the API.
 */
export const CALLS_IN_FLIGHT = 4;

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

/** One call's events of a batch, in one transaction; returns how many were new. */
async function applyCallEvents(db: Knex, events: readonly CallEvent[]): Promise<number> {
  return db.transaction(async (trx) => {
    const fresh = await insertNewEvents(trx, events);
    const news = events.filter((e) => fresh.delete(e.id));
    const first = news[0];
    if (!first) {
      return 0;
    }
    // The outside number of a ringing call is locked with the call: two calls from one unknown number
    // must not both create a contact for it. (Not the dialled line: every call would queue behind it.)
    const numbers = news
      .map((e) =>
        e.type !== "call.ringing"
          ? null
          : e.direction === "in"
            ? e.from
            : e.direction === "out"
              ? e.to
              : null,
      )
      .map((party) => (party ? normalizePhone(party) : null))
      .filter((n): n is string => n !== null);
    await lockKeys(trx, [`call:${first.callId}`, ...numbers.map((n) => `phone:${n}`)]);
    const row = (await findCallRows(trx, [first.callId])).get(first.callId);
    const call = news.reduce<Call | null>(applyCallEvent, row?.payload.call ?? null)!;
    await applyCall(trx, row, call, numberOf(call));
    return news.length;
  });
}
