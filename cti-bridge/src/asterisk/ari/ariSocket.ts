import type { Logger } from "pino";
import { WebSocket } from "ws";
import { backoffDelay } from "../amiClient.ts";
import { parseAriEvent, type AriEvent } from "./ariEvents.ts";
import { parseAriUrl } from "./ariRest.ts";

/*
 * The ARI events WebSocket (GET /ari/events?app=<ARI_APP>). While it is open Asterisk keeps our Stasis
 * application registered: channels can be originated and snooped into it. Connection states:
 *
 *   connecting ──open──► open ──close / error / pong missing──► waiting ──backoff timer──► connecting
 *        │                                                         ▲
 *        └──────────────── refused / 401 ──────────────────────────┘
 *   stop() from any state ──► stopped (final)
 *
 * Backoff is exponential with jitter (the AMI client's), capped, and resets once a socket opens; the
 * npm ari-client got reconnecting late and without jitter (telephony.md §2.7, node-ari-client #15/#31).
 */
export type AriSocketState = "connecting" | "open" | "waiting" | "stopped";

export type AriSocketOptions = {
  ariUrl: string;
  app: string;
  log: Logger;
  /** Every event that passed its schema. A throwing listener is logged; the socket goes on. */
  onEvent: (event: AriEvent) => void;
  /** After each (re)connection: the application is registered again. */
  onOpen?: () => void;
  backoff?: { initialMs: number; maxMs: number };
  pingIntervalMs?: number;
  random?: () => number;
};

export type AriSocketStats = {
  state: AriSocketState;
  connects: number;
  disconnects: number;
  events: number;
  otherEvents: number;
  invalidEvents: number;
};

export type AriSocket = {
  stats: () => AriSocketStats;
  /** Resolves once the socket is open (at once when it is). */
  ready: () => Promise<void>;
  stop: () => Promise<void>;
};

/** The events URL: http(s)://host/ari + /events?app=… as ws(s)://; credentials go in a header, not the URL. */
export function eventsUrl(ariUrl: string, app: string): string {
  const { base } = parseAriUrl(ariUrl);
  const url = new URL(`${base.replace(/^http/, "ws")}/events`);
  url.searchParams.set("app", app);
  return url.toString();
}

export function startAriSocket(options: AriSocketOptions): AriSocket {
  const log = options.log.child({ module: "ari" });
  const { authorization } = parseAriUrl(options.ariUrl);
  const url = eventsUrl(options.ariUrl, options.app);
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const random = options.random ?? Math.random;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const counters = { connects: 0, disconnects: 0, events: 0, otherEvents: 0, invalidEvents: 0 };
  let state: AriSocketState = "connecting";
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];

  function handleMessage(data: Buffer): void {
    const parsed = parseAriEvent(data.toString("utf8"));
    if (parsed.kind === "other") {
      counters.otherEvents += 1;
      return;
    }
    if (parsed.kind === "invalid") {
      counters.invalidEvents += 1;
      log.warn({ event: parsed.type, problem: parsed.problem }, "ari event skipped");
      return;
    }
    counters.events += 1;
    try {
      options.onEvent(parsed.event);
    } catch (err) {
      log.error({ err, event: parsed.event.type }, "ari event handler failed");
    }
  }

  function open(): void {
    state = "connecting";
    const ws = new WebSocket(url, { headers: { authorization }, handshakeTimeout: 10_000 });
    socket = ws;
    let isAlive = true;
    ws.on("open", () => {
      counters.connects += 1;
      state = "open";
      attempt = 0;
      log.info({ app: options.app }, "ari events connected");
      // A half-open TCP connection looks alive for hours: a missing pong is how we notice.
      pingTimer = setInterval(() => {
        if (!isAlive) {
          ws.terminate();
          return;
        }
        isAlive = false;
        ws.ping();
      }, pingIntervalMs);
      waiters.forEach((wake) => wake());
      waiters = [];
      options.onOpen?.();
    });
    ws.on("pong", () => (isAlive = true));
    ws.on("message", (data: Buffer) => handleMessage(data));
    ws.on("error", (err) => log.debug({ err: err.message }, "ari socket error"));
    ws.on("close", () => handleClose(ws));
  }

  function handleClose(ws: WebSocket): void {
    if (ws !== socket) {
      return;
    }
    socket = null;
    clearInterval(pingTimer);
    if (state === "stopped") {
      return;
    }
    counters.disconnects += 1;
    state = "waiting";
    const delayMs = backoffDelay(attempt, backoff, random);
    attempt += 1;
    log.warn({ delayMs, attempt }, "ari events disconnected, reconnecting");
    retryTimer = setTimeout(open, delayMs);
  }

  open();
  return {
    stats: () => ({ state, ...counters }),
    ready: () =>
      state === "open" ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    async stop() {
      state = "stopped";
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const ws = socket;
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
        ws.terminate();
        await closed;
      }
    },
  };
}
