import { createHash, randomUUID } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { RecordingContentType, type RecordingUploadQuery, type RecordingUploadResult } from "@okno/contracts";
import type { Knex } from "knex";
import { AppError } from "../errors.ts";
import { cleanContentType } from "../files/service.ts";
import { ensureRecordingRow, linkToInteraction, markFailed, markStored, type RecordingRow } from "./repo.ts";
import { recordingKey, type RecordingStore } from "./store.ts";

/** Larger uploads are refused with 413: about 9 hours of 8 kHz 16-bit WAV, far beyond any call. */
export const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

export const recordingTooLarge = () =>
  new AppError(
    413,
    "payload_too_large",
    `a recording may be at most ${MAX_RECORDING_BYTES / 1024 / 1024} MiB`,
  );

/** The upload's media type as we store it; `audio/x-wav` and `audio/wave` are WAV too. */
export function recordingContentType(header: string | undefined): RecordingContentType {
  const type = cleanContentType(header);
  const wav = type === "audio/x-wav" || type === "audio/wave" || type === "audio/vnd.wave";
  return RecordingContentType.parse(wav ? "audio/wav" : type === "audio/mp3" ? "audio/mpeg" : type);
}

function toResult(
  row: RecordingRow,
  interactionId: string | null,
  duplicate: boolean,
): RecordingUploadResult {
  return {
    id: row.id,
    status: row.status,
    sizeBytes: Number(row.size_bytes ?? 0),
    sha256: row.sha256 ?? "",
    interactionId: row.interaction_id ?? interactionId,
    duplicate,
  };
}

/** The row for an upload about to start; when the recording is stored already, the upload is a no-op. */
export async function beginUpload(
  db: Knex,
  pbxRecordingId: string,
  q: RecordingUploadQuery,
  contentType: RecordingContentType,
): Promise<{ row: RecordingRow; done: RecordingUploadResult | null }> {
  const row = await ensureRecordingRow(db, q.callId, pbxRecordingId, contentType);
  if (row.status !== "stored") {
    return { row, done: null };
  }
  return { row, done: toResult(row, await linkToInteraction(db, q.callId), true) };
}

/** Counts and hashes the bytes going by, and stops the stream past the size limit. */
function meter(): { stream: Transform; size: () => number; sha256: () => string } {
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_RECORDING_BYTES) {
        done(recordingTooLarge());
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, size: () => size, sha256: () => hash.digest("hex") };
}

/**
 * Streams the body into the store under a fresh key, then marks the row stored and links it to the
 * call's interaction (when that exists; otherwise the call id finds it later). Two uploads of the same
 * recording at once both write; the second to finish removes its copy and reports a duplicate.
 */
export async function finishUpload(
  db: Knex,
  store: RecordingStore,
  row: RecordingRow,
  upload: { content: Readable; contentType: RecordingContentType; durationSec: number | null },
): Promise<RecordingUploadResult> {
  const m = meter();
  const key = recordingKey(new Date(), randomUUID(), upload.contentType);
  // Not `pipeline`: that would destroy the request on overflow, and the client would see a reset, not the 413.
  upload.content.once("error", (err) => m.stream.destroy(err));
  await store.put(key, upload.content.pipe(m.stream), { contentType: upload.contentType });
  const file = {
    storageKey: key,
    contentType: upload.contentType,
    size: m.size(),
    sha256: m.sha256(),
    durationSec: upload.durationSec,
  };
  const isStored = await markStored(db, row.id, file).catch(async (err: unknown) => {
    await store.delete(key);
    throw err;
  });
  if (!isStored) {
    await store.delete(key);
  }
  const interactionId = await linkToInteraction(db, row.call_id);
  const stored = isStored
    ? { ...row, status: "stored" as const, size_bytes: file.size, sha256: file.sha256 }
    : ((await db("recordings").where("id", row.id).first<RecordingRow>()) ?? row);
  return toResult(stored, interactionId, !isStored);
}

/** The bridge gave up on a recording: its row says so, so the desktop can tell "no recording" from "not yet". */
export async function failUpload(
  db: Knex,
  pbxRecordingId: string,
  callId: string,
  reason: string,
): Promise<RecordingRow> {
  const row = await ensureRecordingRow(db, callId, pbxRecordingId, "application/octet-stream");
  await markFailed(db, row.id, reason);
  await linkToInteraction(db, callId);
  return (await db("recordings").where("id", row.id).first<RecordingRow>()) ?? row;
}
