import type {
  CallDirection,
  CallLogItem,
  CallLogQuery,
  EndCause,
  MissedCall,
  MissedCallQuery,
} from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";
import type { SortKey } from "../listing.ts";

export interface CallLogRow {
  id: string;
  call_id: string | null;
  direction: CallDirection | null;
  number: string | null;
  occurred_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  duration_sec: number | null;
  wait_sec: number | null;
  result: EndCause | null;
  disposition: string | null;
  wrapped_up_at: Date | null;
  owner_id: string;
  owner_name: string;
  owner_extension: string | null;
  contact_id: string | null;
  contact_name: string | null;
  source_id: string | null;
  source_name: string | null;
  campaign_name: string | null;
  has_recording: boolean;
}

/** Newest first; the index is interactions_calls (occurred_at desc, id desc) where channel = 'call'. */
export const callsNewestFirst: SortKey<CallLogRow> = {
  expr: "i.occurred_at",
  desc: true,
  value: (r) => iso(r.occurred_at),
};

export function selectCalls(db: Knex): Knex.QueryBuilder {
  return db("interactions as i")
    .join("users as o", "o.id", "i.owner_id")
    .leftJoin("contacts as c", "c.id", "i.contact_id")
    .leftJoin("sources as s", "s.id", "i.source_id")
    .leftJoin("campaigns as cp", "cp.id", "i.campaign_id")
    .where("i.channel", "call")
    .select(
      "i.id",
      "i.call_id",
      "i.direction",
      db.raw("i.payload->>'number' as number"),
      "i.occurred_at",
      "i.answered_at",
      "i.ended_at",
      "i.duration_sec",
      "i.wait_sec",
      "i.result",
      "i.disposition",
      "i.wrapped_up_at",
      "i.owner_id",
      "o.full_name as owner_name",
      "o.extension as owner_extension",
      "i.contact_id",
      "c.full_name as contact_name",
      "i.source_id",
      "s.name as source_name",
      "cp.name as campaign_name",
      // The stored file counts as well: after a bridge crash its upload may come without recording.ready.
      db.raw(
        `coalesce(jsonb_typeof(i.payload->'call'->'recording') = 'object', false)
          or exists (select 1 from recordings r where r.interaction_id = i.id and r.status = 'stored')
          as has_recording`,
      ),
    );
}

export function whereCallFilters(
  q: Knex.QueryBuilder,
  f: Omit<CallLogQuery, "limit" | "cursor">,
): Knex.QueryBuilder {
  const equal: [keyof typeof f, string][] = [
    ["agentId", "i.owner_id"],
    ["direction", "i.direction"],
    ["result", "i.result"],
    ["sourceId", "i.source_id"],
  ];
  for (const [key, column] of equal) {
    if (f[key] !== undefined) {
      q.where(column, f[key]);
    }
  }
  if (f.from) {
    q.where("i.occurred_at", ">=", f.from);
  }
  if (f.to) {
    q.where("i.occurred_at", "<", f.to);
  }
  return q;
}

export function toCallLogItem(r: CallLogRow): CallLogItem {
  const at = (d: Date | null) => (d ? iso(d) : null);
  return {
    id: r.id,
    callId: r.call_id,
    direction: r.direction,
    number: r.number,
    occurredAt: iso(r.occurred_at),
    answeredAt: at(r.answered_at),
    endedAt: at(r.ended_at),
    durationSec: r.duration_sec,
    waitSec: r.wait_sec,
    result: r.result,
    disposition: r.disposition,
    wrappedUpAt: at(r.wrapped_up_at),
    agent: { id: r.owner_id, fullName: r.owner_name, extension: r.owner_extension },
    contact: r.contact_id ? { id: r.contact_id, fullName: r.contact_name ?? "" } : null,
    sourceId: r.source_id,
    sourceName: r.source_name,
    campaignName: r.campaign_name,
    hasRecording: r.has_recording,
  };
}

export interface MissedRow extends CallLogRow {
  callback_task_id: string | null;
  back_call_at: Date | null;
  back_call_answered: boolean | null;
  back_call_by: string | null;
  back_call_by_name: string | null;
  task_done_at: Date | null;
  task_by: string | null;
  task_by_name: string | null;
}

/** A pending missed call: no later outbound call to the number, and its callback task not done. */
const PENDING = "(cb.at is null and ct.done_at is null)";

/**
 * Inbound calls nobody answered, each with its first call back: the earliest later outbound call to the
 * same number (found by the interactions_call_number index), and its callback task if done.
 */
export function selectMissed(db: Knex, f: Omit<MissedCallQuery, "limit" | "cursor">): Knex.QueryBuilder {
  const q = selectCalls(db)
    .whereIn("i.result", ["missed", "abandoned"])
    .andWhere("i.direction", "in")
    .joinRaw(
      `left join lateral (
         select b.occurred_at as at, b.answered_at is not null as answered, bo.id as by, bo.full_name as by_name
           from interactions b join users bo on bo.id = b.owner_id
          where b.channel = 'call' and b.direction = 'out' and b.payload->>'number' = i.payload->>'number'
            and b.occurred_at > i.occurred_at
          order by b.occurred_at limit 1) cb on true`,
    )
    .joinRaw(
      `left join lateral (
         select t.completed_at as done_at, t.owner_id as by, tu.full_name as by_name
           from tasks t join users tu on tu.id = t.owner_id
          where t.id = (i.payload->>'callbackTaskId')::uuid and t.status = 'done') ct on true`,
    )
    .select(
      db.raw("i.payload->>'callbackTaskId' as callback_task_id"),
      "cb.at as back_call_at",
      "cb.answered as back_call_answered",
      "cb.by as back_call_by",
      "cb.by_name as back_call_by_name",
      "ct.done_at as task_done_at",
      "ct.by as task_by",
      "ct.by_name as task_by_name",
    );
  whereCallFilters(q, { from: f.from, to: f.to });
  if (f.status) {
    q.whereRaw(f.status === "pending" ? PENDING : `not ${PENDING}`);
  }
  return q;
}

export function toMissedCall(r: MissedRow): MissedCall {
  const call =
    r.back_call_at && r.back_call_by
      ? {
          via: "call" as const,
          at: r.back_call_at,
          by: { id: r.back_call_by, fullName: r.back_call_by_name ?? "" },
          answered: r.back_call_answered,
        }
      : null;
  const task =
    r.task_done_at && r.task_by
      ? {
          via: "task" as const,
          at: r.task_done_at,
          by: { id: r.task_by, fullName: r.task_by_name ?? "" },
          answered: null,
        }
      : null;
  const first = call && task ? (call.at <= task.at ? call : task) : (call ?? task);
  return {
    ...toCallLogItem(r),
    calledBack: first ? { ...first, at: iso(first.at) } : null,
    callbackTaskId: r.callback_task_id,
  };
}
