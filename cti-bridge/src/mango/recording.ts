import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { MangoApiError, resultOf, toMangoError, type MangoHttp } from "./mangoHttp.ts";

export type RecordingDownload = { contentType: string | null; bytes: number };

/**
 * Streams a recording into `sink` (which is ended when the file is complete):
 *
 *   POST queries/recording/post {recording_id, action} ──302──► one-time files.mango-office.ru link
 *                                                                     └─ GET ─► sink
 *
 * The temporary link (telephony.md §1.4, digest §5.2) is a bearer secret valid for one access: it is
 * followed at once and never stored, logged or put in an error message. A recording not in the cloud
 * yet gives `not_ready` (retry in about a minute). Nothing is retried once bytes reached the sink.
 */
export async function downloadRecording(
  http: MangoHttp,
  recordingId: string,
  sink: Writable,
  options: { action?: "download" | "play"; timeoutMs?: number } = {},
): Promise<RecordingDownload> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const payload = { recording_id: recordingId, action: options.action ?? "download" };
  const answer = await http.post("queries/recording/post", payload, {
    redirect: "manual",
    isIdempotent: true,
  });
  const file = isRedirect(answer.status) ? await follow(http, answer, timeoutMs) : answer;
  if (file.status === 404) {
    await file.body?.cancel();
    throw new MangoApiError("not_ready", `recording ${recordingId} is not available yet`, 404);
  }
  if (file.status === 200 && (file.headers.get("content-type") ?? "").includes("json")) {
    // An error told in JSON with a 200 (Mango's result codes) instead of the audio.
    const result = await resultOf(file);
    throw new MangoApiError("rejected", `recording ${recordingId}: mango result ${result}`, 200, result);
  }
  if (file.status !== 200 || file.body === null) {
    await file.body?.cancel();
    throw new MangoApiError("http", `recording ${recordingId}: mango answered ${file.status}`, file.status);
  }
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(file.body as WebReadableStream<Uint8Array>),
      async function* count(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          yield chunk;
        }
      },
      sink,
    );
  } catch (err) {
    throw toMangoError(err);
  }
  http.log.info({ recordingId, bytes }, "mango recording downloaded");
  return { contentType: file.headers.get("content-type"), bytes };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function follow(http: MangoHttp, answer: Response, timeoutMs: number): Promise<Response> {
  await answer.body?.cancel();
  const location = answer.headers.get("location");
  if (location === null) {
    throw new MangoApiError("http", "mango redirected without a location", answer.status);
  }
  // Relative to the API URL that answered; the link itself carries its own authorisation.
  const target = new URL(location, answer.url);
  try {
    return await http.fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw toMangoError(err);
  }
}
