import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { RecordingJob } from "./outbox.ts";
import type { RecordingFile } from "./sources.ts";

export interface CrmTarget {
  /** crm-api's base URL ("http://127.0.0.1:8080"). */
  url: string;
  /** crm-api's CTI_TOKEN. */
  token: string;
}

const IDLE_TIMEOUT_MS = 60_000;

const readBody = async (res: IncomingMessage): Promise<string> => {
  let text = "";
  for await (const chunk of res) {
    text += (chunk as Buffer).toString("utf8");
  }
  return text;
};

/**
 * Streams a recording to `PUT /api/v1/cti/recordings/:recordingId?callId=…` and resolves with crm-api's
 * status. crm-api may answer before it has read the body (a recording it stored already; a refusal), so
 * a write error after the answer is ignored; one before it rejects, as does a failing source stream.
 */
export function putRecording(
  target: CrmTarget,
  job: RecordingJob,
  file: RecordingFile,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const url = new URL(`/api/v1/cti/recordings/${encodeURIComponent(job.recordingId)}`, target.url);
  url.searchParams.set("callId", job.callId);
  if (job.durationSec !== undefined) {
    url.searchParams.set("durationSec", String(job.durationSec));
  }
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: "PUT",
      signal,
      headers: {
        authorization: `Bearer ${target.token}`,
        "content-type": file.contentType,
        ...(file.size === null ? {} : { "content-length": String(file.size) }),
      },
    });
    // No byte either way for this long (crm-api hung, a dead connection): give up on this attempt.
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error("crm-api did not answer in time")));
    req.on("response", (res) => {
      answered = true;
      file.stream.unpipe(req);
      file.stream.destroy();
      readBody(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
    });
    req.on("error", (err) => {
      file.stream.destroy();
      if (!answered) {
        reject(err);
      }
    });
    file.stream.on("error", (err) => {
      req.destroy(err);
      reject(err);
    });
    file.stream.pipe(req);
  });
}

/** POST …/failure: tells crm-api the bridge gave up, so the call shows "no recording" instead of "not yet". */
export async function reportFailure(target: CrmTarget, job: RecordingJob, reason: string): Promise<number> {
  const url = new URL(`/api/v1/cti/recordings/${encodeURIComponent(job.recordingId)}/failure`, target.url);
  url.searchParams.set("callId", job.callId);
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
    body: JSON.stringify({ reason: reason.slice(0, 500) }),
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  return res.status;
}
