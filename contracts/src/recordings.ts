import { z } from "zod";
import { Id } from "./common.ts";

/**
 * Media types a recording may be uploaded and served as: what MixMonitor (WAV), Mango Office (MP3) and
 * Genesys (Ogg/Opus) produce, and octet-stream when the PBX did not say.
 */
export const RECORDING_CONTENT_TYPES = [
  "audio/wav",
  "audio/mpeg",
  "audio/ogg",
  "application/octet-stream",
] as const;
export const RecordingContentType = z.enum(RECORDING_CONTENT_TYPES);
export type RecordingContentType = z.infer<typeof RecordingContentType>;

/** pending = announced or being uploaded; stored = playable; failed = the bridge gave up fetching it. */
export const RecordingStatus = z.enum(["pending", "stored", "failed"]);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

/** A call's recording as GET /interactions/:id/recording shows it. */
export const Recording = z.object({
  id: Id,
  interactionId: Id.nullable(),
  callId: z.string(),
  status: RecordingStatus,
  /** Where to play it (GET, HTTP Range supported); null until stored. */
  url: z.string().nullable(),
  contentType: RecordingContentType,
  sizeBytes: z.number().int().nullable(),
  durationSec: z.number().nullable(),
  /** Whether the requesting user may play it (role permission, or they took the call). */
  canListen: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  storedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type Recording = z.infer<typeof Recording>;

/** PUT /cti/recordings/:recordingId?callId=…: the bridge streams the file as the body. */
export const RecordingUploadQuery = z.strictObject({
  callId: z.string().min(1).max(200),
  /** Length of the audio when the PBX reported it. */
  durationSec: z.coerce.number().nonnegative().max(86_400).optional(),
});
export type RecordingUploadQuery = z.infer<typeof RecordingUploadQuery>;

export const RecordingUploadResult = z.object({
  id: Id,
  status: RecordingStatus,
  sizeBytes: z.number().int(),
  sha256: z.string(),
  interactionId: Id.nullable(),
  /** The same recording had been stored before: this upload changed nothing. */
  duplicate: z.boolean(),
});
export type RecordingUploadResult = z.infer<typeof RecordingUploadResult>;

/** POST /cti/recordings/:recordingId/failure?callId=…: the bridge gave up fetching the file. */
export const RecordingFailure = z.strictObject({ reason: z.string().min(1).max(500) });
export type RecordingFailure = z.infer<typeof RecordingFailure>;
