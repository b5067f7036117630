import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { encodeMangoForm } from "./sign.ts";

export type MangoHttpOptions = {
  /** MANGO_API_URL: the VPBX API base, "https://app.mango-office.ru/vpbx/" (paths are relative to it). */
  apiUrl: string;
  apiKey: string;
  apiSalt: string;
  log: Logger;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a 429 or a refused connection (default 3). */
  retries?: number;
  backoff?: { initialMs: number; maxMs: number };
  fetch?: typeof fetch;
};

export type MangoErrorKind = "http" | "rejected" | "timeout" | "network" | "not_ready";

type PostInit = { redirect?: "follow" | "manual"; isIdempotent?: boolean; timeoutMs?: number };

/** A Mango request that did not succeed; the message never holds a URL (recording links are secrets). */
export class MangoApiError extends Error {
  constructor(
    readonly kind: MangoErrorKind,
    message: string,
    readonly status: number | null = null,
    /** Mango's own result code (1000 = ok; 2xxx billing, 3100 bad parameters, 4001 unsupported, 5xxx server). */
    readonly result: number | null = null,
    /** For "network": the system error code (ECONNREFUSED…). */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "MangoApiError";
  }
}

export type MangoHttp = {
  /**
   * POSTs a signed form to `path` and returns the response whose status the caller accepts; retries
   * 5xx and 429 with backoff, and failures that never reached Mango. A timeout or a dropped connection
   * is retried only when `isIdempotent` (queries): a command may have been carried out, and Mango does
   * not dedupe command_id (PDF §3.2), so repeating it could dial the customer twice.
   */
  post(path: string, payload: unknown, init?: PostInit): Promise<Response>;
  fetch: typeof fetch;
  log: Logger;
};

/** Errors that mean the request never reached Mango: safe to repeat, whatever it was. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export function createMangoHttp(options: MangoHttpOptions): MangoHttp {
  const { apiKey, apiSalt, log, timeoutMs = 10_000, retries = 3 } = options;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 5_000 };
  const doFetch = options.fetch ?? fetch;
  const base = options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/`;

  async function attempt(url: URL, payload: unknown, init: PostInit | undefined): Promise<Response> {
    try {
      return await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: encodeMangoForm(payload, apiKey, apiSalt),
        redirect: init?.redirect ?? "follow",
        signal: AbortSignal.timeout(init?.timeoutMs ?? timeoutMs),
      });
    } catch (err) {
      throw toMangoError(err);
    }
  }

  async function post(path: string, payload: unknown, init?: PostInit): Promise<Response> {
    const url = new URL(path, base);
    for (let n = 0; ; n += 1) {
      let retryAfterMs: number | null = null;
      try {
        const res = await attempt(url, payload, init);
        if (res.status < 500 && res.status !== 429) {
          return res;
        }
        await res.body?.cancel();
        if (n >= retries) {
          throw new MangoApiError("http", `mango ${path} answered ${res.status}`, res.status);
        }
        retryAfterMs = retryAfterOf(res);
        log.warn({ path, status: res.status, attempt: n + 1 }, "mango request failed, retrying");
      } catch (err) {
        const isRetryable =
          err instanceof MangoApiError &&
          (NOT_SENT.has(err.code ?? "") || (init?.isIdempotent === true && err.kind !== "http"));
        if (!isRetryable || n >= retries) {
          throw err;
        }
        log.warn({ path, kind: err.kind, attempt: n + 1 }, "mango request failed, retrying");
      }
      await sleep(retryAfterMs ?? jittered(backoff.initialMs * 2 ** n, backoff.maxMs));
    }
  }

  return { post, fetch: doFetch, log };
}

/** Full jitter between half and all of the capped delay, so several bridges do not retry in step. */
function jittered(ms: number, maxMs: number): number {
  const capped = Math.min(ms, maxMs);
  return capped / 2 + Math.random() * (capped / 2);
}

/** Retry-After in seconds (Mango answers 429 "Rate limit exceeded" above its limits, telephony.md §1.1). */
function retryAfterOf(res: Response): number | null {
  const seconds = Number(res.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : null;
}

/** fetch's errors as ours: a timeout or a network failure, without the URL it was fetching. */
export function toMangoError(err: unknown): MangoApiError {
  if (err instanceof MangoApiError) {
    return err;
  }
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return new MangoApiError("timeout", "mango request timed out");
  }
  const code = e.cause?.code ?? "unknown";
  return new MangoApiError("network", `mango request failed (${code})`, null, null, code);
}

/** Mango's `result` code from a JSON answer ({"result": 1000}); null when the body has none. */
export async function resultOf(res: Response): Promise<number | null> {
  const text = await res.text();
  try {
    const result = (JSON.parse(text) as { result?: unknown } | null)?.result;
    const code = typeof result === "string" ? Number(result) : result;
    return typeof code === "number" && Number.isInteger(code) ? code : null;
  } catch {
    return null;
  }
}
