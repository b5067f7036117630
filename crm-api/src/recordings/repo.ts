import type { RecordingContentType, RecordingStatus } from "@okno/contracts";
import type { Knex } from "knex";

type Db = Knex | Knex.Transaction;

export interface RecordingRow {
  id: string;
  call_id: string;
  interaction_id: string | null;
  pbx_recording_id: string;
  storage_key: string | null;
  content_type: RecordingContentType;
  size_bytes: string | number | null;
  duration_sec: number | null;
  sha256: string | null;
  status: RecordingStatus;
  error: string | null;
  created_at: Date;
  stored_at: Date | null;
}

/** The row of one recording of a call, created pending when first heard of; returned either way. */
export async function ensureRecordingRow(
  db: Db,
  callId: string,
  pbxRecordingId: string,
  contentType: RecordingContentType,
): Promise<RecordingRow> {
  await db("recordings")
    .insert({ call_id: callId, pbx_recording_id: pbxRecordingId, content_type: contentType })
    .onConflict(["call_id", "pbx_recording_id"])
    .ignore();
  const row = await db("recordings")
    .where({ call_id: callId, pbx_recording_id: pbxRecordingId })
    .first<RecordingRow>();
  return row;
}

/**
 * Marks the row stored with the new file, unless another upload of the same recording got there first
 * (then the caller's file is surplus and false comes back).
 */
export async function markStored(
  db: Db,
  id: string,
  file: {
    storageKey: string;
    contentType: RecordingContentType;
    size: number;
    sha256: string;
    durationSec: number | null;
  },
): Promise<boolean> {
  const changed = await db("recordings").where("id", id).whereNot("status", "stored").update({
    storage_key: file.storageKey,
    content_type: file.contentType,
    size_bytes: file.size,
    sha256: file.sha256,
    duration_sec: file.durationSec,
    status: "stored",
    error: null,
    stored_at: db.fn.now(),
  });
  return changed > 0;
}

export async function markFailed(db: Db, id: string, reason: string): Promise<void> {
  await db("recordings")
    .where("id", id)
    .whereNot("status", "stored")
    .update({ status: "failed", error: reason });
}

export function findRecordingRow(db: Db, id: string): Promise<RecordingRow | undefined> {
  return db("recordings").where("id", id).first<RecordingRow | undefined>();
}

/** Links a call's recordings to its interaction once both exist; returns the interaction id, if any. */
export async function linkToInteraction(db: Db, callId: string): Promise<string | null> {
  const interaction = await db("interactions")
    .where("call_id", callId)
    .first<{ id: string } | undefined>("id");
  if (!interaction) {
    return null;
  }
  await db("recordings")
    .where("call_id", callId)
    .whereNull("interaction_id")
    .update({ interaction_id: interaction.id });
  return interaction.id;
}

export interface CallInteraction {
  id: string;
  call_id: string | null;
  owner_id: string;
  payload: { call?: CallFacts } | null;
}

/** The parts of crm-api/src/cti/callState.ts `Call` that say which recording is the call's and who took it. */
export interface CallFacts {
  firstAnswer?: { ext: string | null } | null;
  lastAnswer?: { ext: string | null } | null;
  legs?: Record<string, { agentExt: string | null; answeredAt: string | null }>;
  recording?: { recordingId: string } | null;
}

export function findCallInteraction(db: Db, id: string): Promise<CallInteraction | undefined> {
  return db("interactions")
    .where("id", id)
    .first<CallInteraction | undefined>("id", "call_id", "owner_id", "payload");
}

/**
 * The recording the interaction plays: the one its recording.ready named when that one is stored,
 * otherwise the call's latest stored one, otherwise the latest known (pending or failed). Matched by call
 * id as well as by link, so the order in which the upload and the event arrive does not matter.
 */
export async function findInteractionRecording(
  db: Db,
  interaction: CallInteraction,
): Promise<RecordingRow | undefined> {
  const announced = interaction.payload?.call?.recording?.recordingId ?? null;
  const q = db("recordings").where((w) => {
    void w.where("interaction_id", interaction.id);
    if (interaction.call_id) {
      void w.orWhere("call_id", interaction.call_id);
    }
  });
  return q
    .orderByRaw("(status = 'stored') desc")
    .orderByRaw("(pbx_recording_id = ?) desc", [announced ?? ""])
    .orderBy([
      { column: "stored_at", order: "desc", nulls: "last" },
      { column: "created_at", order: "desc" },
    ])
    .first<RecordingRow | undefined>();
}

/** When the user's last audited listen of the recording happened, if within `withinSec`. */
export async function hasRecentListen(
  db: Db,
  userId: string,
  recordingId: string,
  withinSec: number,
): Promise<boolean> {
  const row = await db("audit_log")
    .where({ entity: "recordings", record_id: recordingId, action: "view", user_id: userId })
    .andWhere("at", ">", db.raw("now() - make_interval(secs => ?)", [withinSec]))
    .first<{ id: string } | undefined>("id");
  return row !== undefined;
}
