import type { InteractionDirection } from "@okno/contracts";
import type { Knex } from "knex";
import { preparedRaw } from "../prepared.ts";
import { publishingSql, type EntityChange } from "../realtime/publishChange.ts";
import type { UserMessageNotice } from "../realtime/publishToUsers.ts";
import type { CallPayload } from "./payload.ts";

type Db = Knex | Knex.Transaction;

/**
 * Serialises work on the same calls and numbers across requests and instances until the transaction
 * ends (a retried batch racing its first attempt, two calls from one unknown number). Keys are
 * locked in one sorted order, so two transactions cannot deadlock on them.
 */
export async function lockKeys(db: Knex.Transaction, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length > 0) {
    await preparedRaw(
      db,
      "lock_keys",
      `select pg_advisory_xact_lock(hashtextextended(k, 7305)) from unnest(?::text[]) with ordinality as u(k, n) order by n`,
      [sorted],
    );
  }
}

export interface CallRow {
  id: string;
  call_id: string;
  owner_id: string;
  contact_id: string | null;
  lead_id: string | null;
  payload: CallPayload;
}

/** The interactions of these calls, if they exist yet. */
export async function findCallRows(db: Db, callIds: readonly string[]): Promise<Map<string, CallRow>> {
  const rows = await db("interactions")
    .whereIn("call_id", callIds)
    .select<CallRow[]>("id", "call_id", "owner_id", "contact_id", "lead_id", "payload");
  return new Map(rows.map((r) => [r.call_id, r]));
}

export interface CallColumns {
  call_id: string;
  direction: InteractionDirection | null;
  occurred_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_sec: number | null;
  wait_sec: number | null;
  result: string | null;
  payload: CallPayload;
  contact_id: string | null;
  company_id: string | null;
  lead_id: string | null;
  owner_id: string;
  source_id: string | null;
  campaign_id: string | null;
}

const COLUMNS = [
  "call_id",
  "direction",
  "occurred_at",
  "answered_at",
  "ended_at",
  "duration_sec",
  "wait_sec",
  "result",
  "payload",
  "contact_id",
  "company_id",
  "lead_id",
  "owner_id",
  "source_id",
  "campaign_id",
] as const satisfies readonly (keyof CallColumns)[];

// A source the agent corrected in the wrap-up (agents/wrapUp.ts) outlives the call's later events.
const UPSERT_SQL = `
insert into interactions (id, channel, ${COLUMNS.join(", ")})
values (?, 'call', ${COLUMNS.map(() => "?").join(", ")})
on conflict (call_id) do update set
  ${COLUMNS.filter((c) => c !== "call_id" && c !== "source_id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")},
  source_id = case when interactions.wrapped_up_at is null then excluded.source_id else interactions.source_id end,
  updated_at = now()
returning id, wrapped_up_at is not null as wrapped`;

/**
 * Writes the call's interaction (one per call id) under the id the caller chose for a new one — its
 * pushes already carry it — and sends the change and the pushes in the same statement. Returns whether
 * the call is already wrapped up. The call's lock makes the id certain; should a row have appeared
 * without it, the statement fails and the bridge sends the events again.
 */
export async function saveCall(
  db: Knex.Transaction,
  id: string,
  c: CallColumns,
  change: EntityChange,
  toUsers: readonly UserMessageNotice[],
): Promise<{ wrapped: boolean }> {
  const publishing = publishingSql(change, toUsers);
  const values = COLUMNS.map((col) => (col === "payload" ? JSON.stringify(c.payload) : c[col]));
  const result = await preparedRaw<{ rows: { id: string; wrapped: boolean }[] }>(
    db,
    "cti_save_call",
    `with up as (${UPSERT_SQL}) select up.id, up.wrapped, ${publishing.sql} from up`,
    [id, ...values, ...publishing.bindings],
  );
  const saved = result.rows[0]!;
  if (saved.id !== id) {
    throw new Error(`call ${c.call_id} was saved as ${saved.id} outside its lock`);
  }
  return { wrapped: saved.wrapped };
}

/** Forgets applied event ids older than `days`; see the cti_events migration for why that is safe. */
export async function deleteOldEvents(db: Knex, days: number): Promise<number> {
  return db("cti_events")
    .where("received_at", "<", db.raw("now() - make_interval(days => ?)", [days]))
    .delete();
}
