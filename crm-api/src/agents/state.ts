import {
  Permissions,
  RoleCode,
  type AgentState,
  type AgentStateName,
  type AgentStatePush,
  type PauseReason,
} from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { iso } from "../cursor.ts";
import { publishToUsers } from "../realtime/publishToUsers.ts";

type Db = Knex | Knex.Transaction;

/** Why a state was entered; kept in agent_state_log for metrics. */
export type StateCause = "user" | "call" | "timeout" | "wrap-up";

interface StateRow {
  user_id: string;
  full_name: string;
  extension: string | null;
  department_path: string;
  state: AgentStateName | null;
  reason: PauseReason | null;
  note: string | null;
  since: Date | null;
  created_at: Date;
}

function toState(row: StateRow): AgentState {
  return {
    userId: row.user_id,
    // An agent who never set a state has been offline since their account was made.
    state: row.state ?? "offline",
    reason: row.reason,
    note: row.note,
    since: iso(row.since ?? row.created_at),
  };
}

function selectState(db: Db, userId: string, lock: boolean) {
  const q = db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .leftJoin("agent_states as s", "s.user_id", "u.id")
    .where("u.id", userId)
    .first<StateRow | undefined>(
      "u.id as user_id",
      "u.full_name",
      "u.extension",
      "d.path as department_path",
      "u.created_at",
      "s.state",
      "s.reason",
      "s.note",
      "s.since",
    );
  // Row locks on the user serialise changes of one agent's state (a wrap-up racing the acw timeout).
  return lock ? q.forUpdate("u") : q;
}

export async function readAgentState(db: Db, userId: string): Promise<AgentState | null> {
  const row = await selectState(db, userId, false);
  return row ? toState(row) : null;
}

export interface StateChange {
  userId: string;
  state: AgentStateName;
  reason?: PauseReason | null;
  note?: string | null;
  cause: StateCause;
  interactionId?: string | null;
  /** Change only from these states (the acw timeout ends acw, never a pause taken meanwhile). */
  onlyFrom?: readonly AgentStateName[];
  /** Change only the state entered at this instant (a timeout of one acw must not end the next). */
  onlySince?: string;
}

/**
 * Moves an agent to a new state in the caller's transaction: stored, logged, and pushed (on commit) to
 * the agent and the supervisors who see them. Returns the state before and after; `changed` is false
 * when nothing moved (same state, or `onlyFrom` did not match).
 */
export async function setAgentState(
  trx: Knex.Transaction,
  change: StateChange,
): Promise<{ before: AgentState; after: AgentState; changed: boolean }> {
  const row = await selectState(trx, change.userId, true);
  if (!row) {
    throw new Error(`no user ${change.userId}`);
  }
  const before = toState(row);
  const reason = change.state === "paused" ? (change.reason ?? null) : null;
  const note = change.note ?? null;
  const same = before.state === change.state && before.reason === reason && before.note === note;
  // Another call ending restarts after-call work: that is a new acw, with its own timeout.
  const unchanged =
    (same && change.state !== "acw") ||
    (change.onlyFrom && !change.onlyFrom.includes(before.state)) ||
    (change.onlySince !== undefined && Date.parse(before.since) !== Date.parse(change.onlySince));
  if (unchanged) {
    return { before, after: before, changed: false };
  }
  const columns = { state: change.state, reason, note, since: trx.fn.now() };
  const [saved] = await trx("agent_states")
    .insert({ user_id: change.userId, ...columns })
    .onConflict("user_id")
    .merge(columns)
    .returning<{ since: Date }[]>("since");
  await trx("agent_state_log").insert({
    user_id: change.userId,
    state: change.state,
    reason,
    note,
    cause: change.cause,
    interaction_id: change.interactionId ?? null,
  });
  const after: AgentState = {
    userId: change.userId,
    state: change.state,
    reason,
    note,
    since: iso(saved!.since),
  };
  await pushAgentState(
    trx,
    { ...after, fullName: row.full_name, extension: row.extension },
    row.department_path,
  );
  return { before, after, changed: true };
}

/** Who may watch agents: administrators, and supervisors over the departments their scope covers. */
export function watchesAgents(p: Principal): boolean {
  return p.permissions.canAdminister || p.role === "supervisor";
}

/** Whether this watcher sees this agent: the agent as the owner of their calls, in the interactions scope. */
export function seesAgent(p: Principal, agent: { userId: string; departmentPath: string }): boolean {
  return canSee(p, "interactions", agent);
}

interface WatcherRow {
  id: string;
  login: string;
  full_name: string;
  role_code: string;
  department_id: string;
  path: string;
  permissions: unknown;
}

async function watchersOf(db: Db, agent: { userId: string; departmentPath: string }): Promise<string[]> {
  const rows = await db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .join("roles as r", "r.code", "u.role_code")
    .where("u.is_active", true)
    .andWhere((q) => void q.whereIn("u.role_code", ["admin", "supervisor"]))
    .select<WatcherRow[]>(
      "u.id",
      "u.login",
      "u.full_name",
      "u.role_code",
      "u.department_id",
      "d.path",
      "r.permissions",
    );
  return rows
    .map((r): Principal => ({
      userId: r.id,
      login: r.login,
      fullName: r.full_name,
      role: RoleCode.parse(r.role_code),
      departmentId: r.department_id,
      departmentPath: r.path,
      extension: null,
      permissions: Permissions.parse(r.permissions),
      via: "system",
    }))
    .filter((p) => p.userId !== agent.userId && watchesAgents(p) && seesAgent(p, agent))
    .map((p) => p.userId);
}

const USERS_PER_NOTICE = 50;

async function pushAgentState(db: Db, agent: AgentStatePush, departmentPath: string): Promise<void> {
  const userIds = [agent.userId, ...(await watchersOf(db, { userId: agent.userId, departmentPath }))];
  // A NOTIFY holds under 8000 bytes: a large company's supervisors get the message in slices.
  const notices = [];
  for (let i = 0; i < userIds.length; i += USERS_PER_NOTICE) {
    notices.push({
      userIds: userIds.slice(i, i + USERS_PER_NOTICE),
      message: { type: "agent.state" as const, agent },
    });
  }
  await publishToUsers(db, notices);
}
