import type { AgentBoardItem, AgentStateName, BoardCall, PauseReason } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { iso } from "../cursor.ts";
import { agentOf, ringingExts, stateOf, type Call } from "../cti/callState.ts";
import { numberOf } from "../cti/service.ts";
import { forbidden } from "../errors.ts";
import { dailyAt } from "../jobs/schedule.ts";
import { seesAgent, watchesAgents } from "./state.ts";

/** "Today" on the board is the customers' working day: Moscow time. */
const DAY_ZONE = "Europe/Moscow";
/** A call the PBX never reported the end of is not shown as going on forever. */
const LIVE_CALL_HOURS = 12;

/** Midnight that began the current day in Moscow (Moscow keeps no daylight saving time). */
export function startOfDay(now = new Date()): Date {
  return new Date(dailyAt(0, 0, DAY_ZONE)(now).getTime() - 24 * 3600_000);
}

interface AgentRow {
  id: string;
  full_name: string;
  extension: string;
  department_id: string;
  path: string;
  state: AgentStateName | null;
  reason: PauseReason | null;
  note: string | null;
  since: Date | null;
  created_at: Date;
}

interface CountRow {
  id: string;
  answered: string | number;
  missed: string | number;
}

/** Today's answered calls (taken by the agent) and missed ones (rang the agent, not taken by them). */
const COUNTS_SQL = `
with today as (
  select i.owner_id, i.answered_at, i.ended_at, i.payload->'call'->'rang' as rang
    from interactions i where i.channel = 'call' and i.occurred_at >= :dayStart::timestamptz)
select u.id,
       (select count(*) from today t where t.owner_id = u.id and t.answered_at is not null) as answered,
       (select count(*) from today t
         where t.ended_at is not null and t.rang @> jsonb_build_array(jsonb_build_object('ext', u.extension))
           and not (t.owner_id = u.id and t.answered_at is not null)) as missed
  from users u where u.id = any(:ids::uuid[])`;

/** Calls going on now, by the extension of each agent they ring or who is on them. */
async function liveCallsByExt(db: Knex): Promise<Map<string, BoardCall[]>> {
  const rows = await db("interactions")
    .where("channel", "call")
    .whereNull("ended_at")
    .andWhere("occurred_at", ">", db.raw("now() - make_interval(hours => ?)", [LIVE_CALL_HOURS]))
    .select<{ id: string; call: Call }[]>("id", db.raw("payload->'call' as call"));
  const byExt = new Map<string, BoardCall[]>();
  for (const { id, call } of rows) {
    const state = stateOf(call);
    const exts = state === "ringing" ? ringingExts(call) : [agentOf(call)];
    const internalParty = (ext: string) => (call.from === ext ? call.to : call.from);
    for (const ext of exts.filter((e): e is string => e !== null)) {
      const item: BoardCall = {
        callId: call.callId,
        interactionId: id,
        state,
        direction: call.direction,
        party: call.direction === "internal" ? internalParty(ext) : numberOf(call),
        startedAt: iso(call.startedAt),
        answeredAt: call.firstAnswer ? iso(call.firstAnswer.at) : null,
      };
      byExt.set(ext, [...(byExt.get(ext) ?? []), item]);
    }
  }
  return byExt;
}

/** The supervisors' board: every active agent with an extension they watch, with state, calls and counts. */
export async function agentBoard(db: Knex, p: Principal): Promise<AgentBoardItem[]> {
  if (!watchesAgents(p)) {
    throw forbidden("the agents' board is for supervisors and administrators");
  }
  const rows = await db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .leftJoin("agent_states as s", "s.user_id", "u.id")
    .where("u.is_active", true)
    .whereNotNull("u.extension")
    .orderBy("u.full_name")
    .select<AgentRow[]>(
      "u.id",
      "u.full_name",
      "u.extension",
      "u.department_id",
      "d.path",
      "u.created_at",
      "s.state",
      "s.reason",
      "s.note",
      "s.since",
    );
  const agents = rows.filter((r) => seesAgent(p, { userId: r.id, departmentPath: r.path }));
  if (agents.length === 0) {
    return [];
  }
  const counts = await db.raw<{ rows: CountRow[] }>(COUNTS_SQL, {
    dayStart: startOfDay().toISOString(),
    ids: agents.map((a) => a.id),
  });
  const countOf = new Map(counts.rows.map((c) => [c.id, c]));
  const calls = await liveCallsByExt(db);
  return agents.map((a) => ({
    userId: a.id,
    fullName: a.full_name,
    extension: a.extension,
    departmentId: a.department_id,
    state: a.state ?? "offline",
    reason: a.reason,
    note: a.note,
    since: iso(a.since ?? a.created_at),
    calls: calls.get(a.extension) ?? [],
    answeredToday: Number(countOf.get(a.id)?.answered ?? 0),
    missedToday: Number(countOf.get(a.id)?.missed ?? 0),
  }));
}
