import type { Logger } from "pino";
import { z } from "zod";

/*
 * A small typed client for the ARI REST API (docs.asterisk.org Latest_API/API_Documentation/
 * Asterisk_REST_Interface). The npm `ari-client` pulls in `request` and swagger-client 2 and is barely
 * kept (telephony.md §2.7): this is fetch, basic auth from ARI_URL, JSON in and out, and errors mapped to
 * what a caller can act on. ARI takes parameters in the query string; only `variables` go in a JSON body.
 */

export type AriErrorKind = "bad_request" | "not_found" | "conflict" | "http" | "timeout" | "network";

/** An ARI call that failed; the message carries ARI's own reason and never the URL's credentials. */
export class AriError extends Error {
  constructor(
    readonly kind: AriErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "AriError";
  }
}

/** The channel fields we read (ARI model Channel); Asterisk sends more. */
export const AriChannel = z.object({
  id: z.string().min(1),
  name: z.string(),
  state: z.string(),
  caller: z.object({ name: z.string(), number: z.string() }).optional(),
  connected: z.object({ name: z.string(), number: z.string() }).optional(),
  dialplan: z.object({ context: z.string(), exten: z.string(), priority: z.number() }).partial().optional(),
});
export type AriChannel = z.infer<typeof AriChannel>;

export const AriBridge = z.object({
  id: z.string().min(1),
  bridge_type: z.string().optional(),
  channels: z.array(z.string()).optional(),
});
export type AriBridge = z.infer<typeof AriBridge>;

/** "http://user:pass@host:8088/ari" → the REST base without credentials and the Authorization header. */
export function parseAriUrl(ariUrl: string): { base: string; authorization: string; host: string } {
  const url = new URL(ariUrl);
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username === "") {
    throw new Error("ARI URL must look like http://user:pass@host:8088/ari");
  }
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const base = url.toString().replace(/\/+$/, "");
  return {
    base,
    authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`,
    host: url.host,
  };
}

export type AriRestOptions = { ariUrl: string; log: Logger; timeoutMs?: number; fetch?: typeof fetch };

export type OriginateArgs = {
  /** "PJSIP/101". */
  endpoint: string;
  /** Our own Uniqueid for the new channel (ARI `channelId`): the callId is known before it rings. */
  channelId?: string;
  callerId?: string;
  timeoutSec?: number;
  variables?: Record<string, string>;
} & (
  { app: string; appArgs?: string } | { context: string; extension: string; priority?: number; label?: never }
);

export type SnoopArgs = {
  app: string;
  appArgs?: string;
  /** Audio taken from the snooped channel: in = what its phone sends, out = what it hears. */
  spy: "none" | "in" | "out" | "both";
  /** Audio injected: out = into the ear of the snooped channel's phone. */
  whisper: "none" | "in" | "out" | "both";
  snoopId?: string;
};

export type AriRest = {
  originate(args: OriginateArgs): Promise<AriChannel>;
  getChannel(id: string): Promise<AriChannel>;
  hangup(id: string, reason?: "normal" | "busy" | "congestion" | "no_answer"): Promise<void>;
  /** Moves a channel in Stasis back to the dialplan (POST /channels/{id}/continue). */
  continueInDialplan(
    id: string,
    to: { context: string; extension: string; priority?: number },
  ): Promise<void>;
  /** Sends a channel in Stasis to another endpoint (POST /channels/{id}/redirect). */
  redirect(id: string, endpoint: string): Promise<void>;
  snoop(channelId: string, args: SnoopArgs): Promise<AriChannel>;
  createBridge(args: { type: string; bridgeId?: string; name?: string }): Promise<AriBridge>;
  addChannel(bridgeId: string, channelIds: string[]): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
};

type Query = Record<string, string | number | undefined>;

export function createAriRest(options: AriRestOptions): AriRest {
  const { base, authorization } = parseAriUrl(options.ariUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const log = options.log.child({ module: "ari" });

  async function call(method: string, path: string, query: Query = {}, body?: unknown): Promise<unknown> {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw toAriError(err, method, path);
    }
    const text = await res.text();
    const json = parseJson(text);
    if (!res.ok) {
      const reason = (json as { message?: unknown } | null)?.message;
      const message = `ARI ${method} ${path} answered ${res.status}: ${typeof reason === "string" ? reason : "error"}`;
      log.warn({ method, path, status: res.status }, "ari request failed");
      throw new AriError(kindOfStatus(res.status), message, res.status);
    }
    return json;
  }

  const channel = async (p: Promise<unknown>) => AriChannel.parse(await p);
  const none = async (p: Promise<unknown>) => {
    await p;
  };
  const id = (value: string) => encodeURIComponent(value);

  return {
    originate: (args) =>
      channel(
        call(
          "POST",
          "/channels",
          {
            endpoint: args.endpoint,
            channelId: args.channelId,
            callerId: args.callerId,
            timeout: args.timeoutSec,
            ...("app" in args
              ? { app: args.app, appArgs: args.appArgs }
              : { context: args.context, extension: args.extension, priority: args.priority ?? 1 }),
          },
          args.variables ? { variables: args.variables } : undefined,
        ),
      ),
    getChannel: (channelId) => channel(call("GET", `/channels/${id(channelId)}`)),
    hangup: (channelId, reason) => none(call("DELETE", `/channels/${id(channelId)}`, { reason })),
    continueInDialplan: (channelId, to) =>
      none(
        call("POST", `/channels/${id(channelId)}/continue`, {
          context: to.context,
          extension: to.extension,
          priority: to.priority ?? 1,
        }),
      ),
    redirect: (channelId, endpoint) =>
      none(call("POST", `/channels/${id(channelId)}/redirect`, { endpoint })),
    snoop: (channelId, args) =>
      channel(
        call("POST", `/channels/${id(channelId)}/snoop`, {
          app: args.app,
          appArgs: args.appArgs,
          spy: args.spy,
          whisper: args.whisper,
          snoopId: args.snoopId,
        }),
      ),
    createBridge: async (args) =>
      AriBridge.parse(
        await call("POST", "/bridges", { type: args.type, bridgeId: args.bridgeId, name: args.name }),
      ),
    addChannel: (bridgeId, channelIds) =>
      none(call("POST", `/bridges/${id(bridgeId)}/addChannel`, { channel: channelIds.join(",") })),
    destroyBridge: (bridgeId) => none(call("DELETE", `/bridges/${id(bridgeId)}`)),
  };
}

function parseJson(text: string): unknown {
  if (text === "") {
    return null;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** ARI's statuses: 400/422 bad parameters, 404 no such channel/bridge, 409 not in Stasis or wrong state. */
function kindOfStatus(status: number): AriErrorKind {
  if (status === 400 || status === 422) {
    return "bad_request";
  }
  if (status === 404) {
    return "not_found";
  }
  return status === 409 || status === 412 ? "conflict" : "http";
}

function toAriError(err: unknown, method: string, path: string): AriError {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return new AriError("timeout", `ARI ${method} ${path} timed out`);
  }
  return new AriError("network", `ARI ${method} ${path} failed (${e.cause?.code ?? "unknown"})`);
}
