import { normalizePhone } from "@okno/contracts";
import type { AssignmentKind, ResolveQuery, ResolvedScript } from "@okno/scripts-kb";
import type { Knex } from "knex";
import { assertRecordInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { notFound } from "../errors.ts";
import type { CallPayload } from "../cti/payload.ts";
import { selectVersions, toVersion } from "./repo.ts";

/** Between equal priorities, the narrower match wins: one number, then a campaign, a stage, a queue. */
const SPECIFICITY: AssignmentKind[] = ["line", "campaign", "stage", "queue"];

type Keys = Partial<Record<AssignmentKind, string | null | undefined>>;

/** What a call says about itself: the dialled line and queue, its campaign, its deal's stage. */
async function keysOfCall(db: Knex, p: Principal, callId: string): Promise<Keys> {
  const row = await db("interactions as i")
    .leftJoin("deals as d", "d.id", "i.deal_id")
    .where("i.call_id", callId)
    .first<
      | { id: string; payload: Partial<CallPayload>; campaign_id: string | null; stage_id: string | null }
      | undefined
    >("i.id", "i.payload", "i.campaign_id", "d.stage_id");
  if (!row) {
    throw notFound("call");
  }
  await assertRecordInScope(db, p, "interactions", "interactions", row.id, notFound("call"));
  const call = row.payload.call;
  return {
    line: call?.line ?? null,
    queue: call?.queue ?? null,
    campaign: row.payload.attribution?.campaignId ?? row.campaign_id,
    stage: row.stage_id,
  };
}

/**
 * The published script assigned to a call (by its id) or to the given line, queue, campaign or stage:
 * the highest priority, then the most specific kind. Explicit parameters override what the call says.
 */
export async function resolveScript(db: Knex, p: Principal, query: ResolveQuery): Promise<ResolvedScript> {
  const fromCall = query.callId ? await keysOfCall(db, p, query.callId) : {};
  const keys: Keys = {
    line: query.line ? (normalizePhone(query.line) ?? query.line) : fromCall.line,
    queue: query.queue ?? fromCall.queue,
    campaign: query.campaignId ?? fromCall.campaign,
    stage: query.stageId ?? fromCall.stage,
  };
  const pairs = SPECIFICITY.flatMap((kind) => (keys[kind] ? [[kind, keys[kind]] as [string, string]] : []));
  if (pairs.length === 0) {
    return { script: null };
  }
  const match = await db("script_assignments as a")
    .join("call_scripts as s", "s.id", "a.script_id")
    .where("s.is_archived", false)
    .whereIn(["a.kind", "a.value"], pairs)
    .whereRaw("exists (select 1 from call_script_versions v where v.script_id = a.script_id)")
    .orderByRaw(`a.priority desc, array_position(?::text[], a.kind), a.created_at, a.id`, [
      `{${SPECIFICITY.join(",")}}`,
    ])
    .first<{ script_id: string; kind: AssignmentKind; value: string; priority: number } | undefined>(
      "a.script_id",
      "a.kind",
      "a.value",
      "a.priority",
    );
  if (!match) {
    return { script: null };
  }
  const version = await selectVersions(db, true).where("v.script_id", match.script_id).first();
  return {
    script: {
      assignment: { kind: match.kind, value: match.value, priority: match.priority },
      version: toVersion(version!),
    },
  };
}
