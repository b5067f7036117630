import { once } from "node:events";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as sleep } from "node:timers/promises";
import type { MangoCommands } from "../mango/index.ts";
import { MangoApiError } from "../mango/index.ts";
import type { RecordingJob } from "./outbox.ts";

/** A recording's bytes, ready to stream to crm-api. */
export interface RecordingFile {
  stream: Readable;
  /** Known for files on disk (sent as Content-Length); null when streaming through (chunked). */
  size: number | null;
  contentType: string;
}

/** Opens a job's recording at the PBX. Throws RetryLater or any error (both are retried). */
export type RecordingSource = (job: RecordingJob, signal: AbortSignal) => Promise<RecordingFile>;

/**
 * Try again after `retryInMs`. `isAttempt` false means nothing went wrong (the file is still being
 * written), so it does not count towards giving up.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
    readonly isAttempt = true,
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/**
 * Where a PBX path lands under `dir`: the part after the last `/monitor/` (FreePBX files by date,
 * `monitor/2026/11/24/…`), else the file name. `..` can never climb out of `dir`.
 */
export function localPathOf(dir: string, recordingId: string): string {
  const marker = recordingId.lastIndexOf("/monitor/");
  const relative = marker >= 0 ? recordingId.slice(marker + "/monitor/".length) : path.basename(recordingId);
  const parts = relative.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) {
    throw new Error("recording path outside the recordings directory");
  }
  return path.join(dir, ...parts);
}

const wavOrBin = (file: string) =>
  ({ ".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg" })[path.extname(file).toLowerCase()] ??
  "application/octet-stream";

/**
 * Asterisk with its monitor directory readable here (ASTERISK_RECORDINGS_DIR): recording.ready comes at
 * hangup, and MixMonitor may still be flushing, so the file is taken only once its size holds still for
 * `stableMs`; a file still growing is tried again later without counting an attempt.
 */
export function asteriskFileSource(dir: string, stableMs = 2000): RecordingSource {
  return async (job, signal) => {
    const file = localPathOf(dir, job.recordingId);
    const sizeOf = async () => (await stat(file).catch(() => null))?.size ?? null;
    const before = await sizeOf();
    if (before === null) {
      throw new Error("recording file not found");
    }
    await sleep(stableMs, undefined, { signal });
    const after = await sizeOf();
    if (after !== before || after === 0) {
      throw new RetryLater("recording file still being written", stableMs, false);
    }
    const stream = createReadStream(file, { end: after - 1 });
    await once(stream, "open");
    return { stream, size: after, contentType: wavOrBin(file) };
  };
}

/**
 * The ARI stored-recording name of a path: relative to Asterisk's recording directory
 * (/var/spool/asterisk/recording), without the extension.
 */
export function ariNameOf(recordingId: string): string {
  const marker = recordingId.lastIndexOf("/recording/");
  const relative =
    marker >= 0 ? recordingId.slice(marker + "/recording/".length) : path.basename(recordingId);
  return relative.replace(/\.[a-z0-9]+$/i, "");
}

/**
 * Asterisk through ARI (`GET /recordings/stored/{name}/file`, Asterisk 14+) when the files are not on
 * this machine. ARI serves only its own recording directory: the dialplan must have MixMonitor write
 * there. Credentials come from ARI_URL's user part and go as Basic auth (fetch refuses them in the URL).
 */
export function ariSource(ariUrl: string, fetchImpl: typeof fetch = fetch): RecordingSource {
  const url = new URL(ariUrl);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
  url.username = "";
  url.password = "";
  const base = url.toString().replace(/\/+$/, "");
  return async (job, signal) => {
    const name = encodeURIComponent(ariNameOf(job.recordingId));
    const res = await fetchImpl(`${base}/recordings/stored/${name}/file`, {
      headers: { authorization: auth },
      signal,
    });
    if (res.status !== 200 || res.body === null) {
      await res.body?.cancel();
      throw new Error(`ari answered ${res.status} for the stored recording`);
    }
    const length = Number(res.headers.get("content-length") ?? Number.NaN);
    return {
      stream: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      size: Number.isFinite(length) ? length : null,
      contentType: res.headers.get("content-type")?.split(";")[0]?.trim() || wavOrBin(job.recordingId),
    };
  };
}

/** Mango asks to retry about a minute later when a recording is not in its cloud yet (telephony.md §1.4). */
const MANGO_NOT_READY_MS = 60_000;

/**
 * Mango Office: the one-time 302 link (mango/recording.ts) is followed and its bytes stream straight
 * through to crm-api; the link is never stored. The upload starts only once audio flows, so a recording
 * not ready yet costs crm-api nothing.
 */
export function mangoSource(commands: Pick<MangoCommands, "downloadRecording">): RecordingSource {
  return async (job) => {
    const sink = new PassThrough();
    const download = commands.downloadRecording(job.recordingId, sink);
    download.catch((err: unknown) => sink.destroy(err as Error));
    try {
      await Promise.race([once(sink, "readable"), download]);
    } catch (err) {
      if (err instanceof MangoApiError && err.kind === "not_ready") {
        throw new RetryLater(err.message, MANGO_NOT_READY_MS);
      }
      throw err;
    }
    return { stream: sink, size: null, contentType: "audio/mpeg" };
  };
}
