import { DEFAULT_PERMISSIONS, type Recording } from "@okno/contracts";
import type { Knex } from "knex";
import { assertRecordInScope } from "../access/scope.ts";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { lockKeys } from "../cti/repo.ts";
import { forbidden, notFound } from "../errors.ts";
import { iso } from "../cursor.ts";
import {
  findCallInteraction,
  findInteractionRecording,
  findRecordingRow,
  hasRecentListen,
  type CallFacts,
  type CallInteraction,
  type RecordingRow,
} from "./repo.ts";

/** A player fetches a file in many Range requests: one audit row per user and recording in this window. */
export const LISTEN_AUDIT_WINDOW_SEC = 10 * 60;

/** Extensions that answered the call: the first and latest answer, and every answered leg. */
function answeredExts(call: CallFacts | undefined): Set<string> {
  const exts = [
    call?.firstAnswer?.ext,
    call?.lastAnswer?.ext,
    ...Object.values(call?.legs ?? {})
      .filter((leg) => leg.answeredAt !== null)
      .map((leg) => leg.agentExt),
  ];
  return new Set(exts.filter((e): e is string => typeof e === "string"));
}

/** The role's permission (its default for roles stored before it existed), or having taken the call. */
export function mayListen(p: Principal, interaction: CallInteraction): boolean {
  const byRole = p.permissions.canListenRecordings ?? DEFAULT_PERMISSIONS[p.role].canListenRecordings;
  return (
    byRole === true || (p.extension !== null && answeredExts(interaction.payload?.call).has(p.extension))
  );
}

export function toRecording(row: RecordingRow, interactionId: string | null, canListen: boolean): Recording {
  return {
    id: row.id,
    interactionId: row.interaction_id ?? interactionId,
    callId: row.call_id,
    status: row.status,
    url: row.status === "stored" ? `/api/v1/recordings/${row.id}` : null,
    contentType: row.content_type,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    durationSec: row.duration_sec,
    canListen,
    createdAt: iso(row.created_at),
    storedAt: row.stored_at ? iso(row.stored_at) : null,
  };
}

/** GET /interactions/:id/recording: whoever sees the interaction sees whether it has a recording. */
export async function describeInteractionRecording(db: Knex, p: Principal, id: string): Promise<Recording> {
  await assertRecordInScope(db, p, "interactions", "interactions", id, notFound("interaction"));
  const interaction = (await findCallInteraction(db, id))!;
  const row = await findInteractionRecording(db, interaction);
  if (!row) {
    throw notFound("recording");
  }
  return toRecording(row, interaction.id, mayListen(p, interaction));
}

/**
 * The stored recording the principal may play: 404 when there is none (or it is not stored yet), 403
 * when its call is outside their interactions scope or they may not listen. A recording whose call never
 * reached crm-api belongs to no interaction: only administrators may play it.
 */
export async function authoriseListen(
  db: Knex,
  p: Principal,
  id: string,
): Promise<{ row: RecordingRow & { storage_key: string }; interactionId: string | null }> {
  const row = await findRecordingRow(db, id);
  if (!row || row.status !== "stored" || row.storage_key === null) {
    throw notFound("recording");
  }
  const interactionId =
    row.interaction_id ??
    (await db("interactions").where("call_id", row.call_id).first<{ id: string } | undefined>("id"))?.id ??
    null;
  if (interactionId === null) {
    if (!p.permissions.canAdminister) {
      throw notFound("recording");
    }
    return { row: { ...row, storage_key: row.storage_key }, interactionId };
  }
  await assertRecordInScope(db, p, "interactions", "interactions", interactionId, notFound("recording"));
  if (!mayListen(p, (await findCallInteraction(db, interactionId))!)) {
    throw forbidden("you may listen only to calls you took");
  }
  return { row: { ...row, storage_key: row.storage_key }, interactionId };
}

/**
 * Records that the user listened, once per LISTEN_AUDIT_WINDOW_SEC: the check and the insert run under
 * a lock on (user, recording), so a player's parallel Range requests still make one row.
 */
export async function auditListen(
  db: Knex,
  p: Principal,
  row: RecordingRow,
  interactionId: string | null,
): Promise<void> {
  await db.transaction(async (trx) => {
    await lockKeys(trx, [`listen:${p.userId}:${row.id}`]);
    if (await hasRecentListen(trx, p.userId, row.id, LISTEN_AUDIT_WINDOW_SEC)) {
      return;
    }
    await recordAudit(trx, actorOf(p), {
      entity: "recordings",
      recordId: row.id,
      action: "view",
      meta: { event: "recording.listen", interactionId, callId: row.call_id },
    });
  });
}
