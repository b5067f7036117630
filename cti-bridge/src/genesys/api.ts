import type { Logger } from "pino";
import { ChannelCreated, TokenAnswer } from "./payloads.ts";

export type GenesysApiOptions = {
  /** https://login.<region> (e.g. https://login.mypurecloud.de); tests point it at 127.0.0.1. */
  loginUrl: string;
  /** https://api.<region>. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  log: Logger;
  /** A token is renewed this long before it expires (default 5 min). */
  tokenMarginMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
};

export class GenesysApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "GenesysApiError";
  }
}

export type GenesysApi = {
  /** A valid access token, from the cache until shortly before it expires. */
  token(): Promise<string>;
  createChannel(): Promise<ChannelCreated>;
  /** Replaces the channel's topics (PUT: the list given is the whole subscription). */
  subscribe(channelId: string, topics: string[]): Promise<void>;
};

/**
 * The few Genesys Cloud REST calls the bridge needs: an OAuth client-credentials token (Genesys docs,
 * "Client Credentials Grant": Basic auth with the client id and secret, grant_type=client_credentials,
 * answer {access_token, expires_in}), and notification channels (Notifications API).
 */
export function createGenesysApi(options: GenesysApiOptions): GenesysApi {
  const { log, tokenMarginMs = 5 * 60_000, timeoutMs = 15_000 } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`, "utf8").toString("base64");
    const res = await doFetch(new URL("/oauth/token", options.loginUrl), {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new GenesysApiError(`genesys token refused (${res.status})`, res.status);
    }
    const answer = TokenAnswer.parse(await res.json());
    cached = { token: answer.access_token, expiresAt: now() + answer.expires_in * 1000 };
    log.info({ expiresInSec: answer.expires_in }, "genesys token obtained");
    return answer.access_token;
  }

  function token(): Promise<string> {
    if (cached && now() < cached.expiresAt - tokenMarginMs) {
      return Promise.resolve(cached.token);
    }
    inFlight ??= fetchToken().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  /** An authorised API call; a 401 (token revoked or expired early) gets one retry with a new token. */
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const res = await doFetch(new URL(path, options.apiUrl), {
        method,
        headers: { authorization: `Bearer ${await token()}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        cached = null;
        continue;
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel();
        throw new GenesysApiError(`genesys ${method} ${path} answered ${res.status}`, res.status);
      }
      return res;
    }
  }

  return {
    token,
    async createChannel() {
      const res = await call("POST", "/api/v2/notifications/channels");
      return ChannelCreated.parse(await res.json());
    },
    async subscribe(channelId, topics) {
      const res = await call(
        "PUT",
        `/api/v2/notifications/channels/${encodeURIComponent(channelId)}/subscriptions`,
        topics.map((id) => ({ id })),
      );
      await res.body?.cancel();
    },
  };
}
