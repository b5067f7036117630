import { normalizePhone } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { agentOf, stateOf, type Call } from "../cti/callState.ts";
import type { CallPayload } from "../cti/payload.ts";
import { badRequest, conflict, forbidden, notFound } from "../errors.ts";

/**
 * Who may act on a live call. Agents act on calls they take part in (rung, answered, transferred to
 * or from); administrators and supervisors also on the calls of agents their interactions scope covers
 * (docs/permissions.md). The call is what crm-api merged from the bridge's events (cti/callState.ts).
 */

/** Administrators and supervisors may supervise calls and act on their agents' calls. */
export function isSupervisor(p: Principal): boolean {
  return p.permissions.canAdminister || p.role === "supervisor";
}

/** The call as crm-api knows it; 404 when no event of it has arrived, 409 once it has ended. */
export async function loadLiveCall(db: Knex, callId: string): Promise<Call> {
  const row = await db("interactions")
    .where("call_id", callId)
    .first<{ payload: CallPayload } | undefined>("payload");
  if (!row) {
    throw notFound("call");
  }
  if (stateOf(row.payload.call) === "ended") {
    throw conflict("the call has already ended");
  }
  return row.payload.call;
}

/** Every extension that took part in the call: rung, answered, transferred from or to. */
export function participantsOf(call: Call): Set<string> {
  const exts = new Set<string>();
  const add = (ext: string | null | undefined) => ext && exts.add(ext);
  call.rang.forEach((r) => add(r.ext));
  Object.values(call.legs).forEach((leg) => add(leg.agentExt));
  call.transfers.forEach((t) => (add(t.fromExt), add(t.to)));
  add(call.firstAnswer?.ext);
  add(call.lastAnswer?.ext);
  return exts;
}

/** The user behind an extension, with the department path scope checks need. */
async function userOfExtension(
  db: Knex,
  ext: string,
): Promise<{ userId: string; departmentPath: string } | null> {
  const row = await db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .where({ "u.extension": ext, "u.is_active": true })
    .first<{ id: string; path: string } | undefined>("u.id", "d.path");
  return row ? { userId: row.id, departmentPath: row.path } : null;
}

/** A supervisor's reach: the agent on the call must be in their interactions scope (admins: anyone). */
export async function assertWatchesCall(db: Knex, p: Principal, call: Call): Promise<void> {
  if (!isSupervisor(p)) {
    throw forbidden("only supervisors and administrators may do this");
  }
  const ext = agentOf(call);
  const agent = ext ? await userOfExtension(db, ext) : null;
  const isVisible = agent ? canSee(p, "interactions", agent) : p.permissions.scopes.interactions === "all";
  if (!isVisible) {
    throw forbidden("this call's agent is outside your department");
  }
}

/**
 * Transfer and hang up: a participant acts on their own leg; a supervisor on the call as a whole.
 * Returns the leg to act on (undefined = the PBX's current agent leg / the whole call).
 */
export async function assertControlsCall(
  db: Knex,
  p: Principal,
  call: Call,
): Promise<{ legId: string | undefined; asParticipant: boolean }> {
  if (p.extension && participantsOf(call).has(p.extension)) {
    return { legId: ownLegOf(call, p.extension), asParticipant: true };
  }
  await assertWatchesCall(db, p, call);
  return { legId: undefined, asParticipant: false };
}

/** The user's leg that is still up: answered last, else rung last. */
function ownLegOf(call: Call, ext: string): string | undefined {
  const legs = Object.entries(call.legs).filter(([, leg]) => leg.agentExt === ext && leg.endedAt === null);
  const answered = legs.filter(([, leg]) => leg.answeredAt !== null);
  return (answered.at(-1) ?? legs.at(-1))?.[0];
}

/** The signed-in user's own phone: the one the PBX rings for click-to-call and listening. */
export function extensionOf(p: Principal): string {
  if (!p.extension) {
    throw badRequest("your user has no extension: ask an administrator to set one", {
      extension: "not set for this user",
    });
  }
  return p.extension;
}

/** Where a call goes: an extension as it is, anything else as a phone in E.164; 400 naming the field. */
export function toDestination(value: string, field: string): string {
  const text = value.trim();
  if (/^\d{2,6}$/.test(text)) {
    return text;
  }
  const e164 = normalizePhone(text);
  if (!e164) {
    throw badRequest(`${field}: not a valid phone number`, { [`body.${field}`]: "not a valid phone number" });
  }
  return e164;
}
