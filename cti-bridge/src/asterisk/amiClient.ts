import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import type { Logger } from "pino";
import { AmiActionError, createActionTable, type AmiAction, type AmiResult } from "./amiActions.ts";
import { createFrameParser, createFrameParserStats, headerOf, type AmiFrame } from "./amiFrame.ts";

/*
 * Connection state machine of the AMI client:
 *
 *   start ──► connecting ──TCP up──► authenticating ──Login Success──► ready ◄──┐ Ping answered
 *                ▲                        │                              │  └───┘
 *                │                        │ Login Error / close          │ close / Ping unanswered
 *                │   backoff timer        ▼                              ▼
 *                └──────────────────── waiting ◄───────────────────────────┘
 *
 *   stop() from any state ──► stopped (final; the socket is ended, timers cleared)
 *
 * Backoff is exponential with jitter and resets once a login succeeds. Known failure modes of the npm
 * clients this replaces (telephony.md §2.7): no heartbeat, lost instance after write-after-FIN, unbounded
 * backoff, log floods: hence the Ping, one socket per attempt, a 30 s cap and one log line per attempt.
 */
export type AmiClientState = "connecting" | "authenticating" | "ready" | "waiting" | "stopped";

export type AmiClientOptions = {
  host: string;
  port: number;
  username: string;
  secret: string;
  log: Logger;
  /** Every event that does not answer one of our actions, with its number on this connection. */
  onEvent: (frame: AmiFrame, seq: number) => void;
  /** Called after each successful login (the place to resync state). */
  onReady?: () => Promise<void> | void;
  pingIntervalMs?: number;
  actionTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  random?: () => number;
};

export type AmiClientStats = {
  state: AmiClientState;
  connects: number;
  disconnects: number;
  loginFailures: number;
  pingFailures: number;
  actionTimeouts: number;
  frames: number;
  events: number;
  garbageLines: number;
  malformedFrames: number;
  oversizedLines: number;
};

export type AmiClient = {
  sendAction: (action: AmiAction, timeoutMs?: number) => Promise<AmiResult>;
  stop: () => Promise<void>;
  stats: () => AmiClientStats;
};

/** Full-jitter-ish exponential backoff: a delay in [cap/2, cap], cap = min(max, initial·2^attempt). */
export function backoffDelay(
  attempt: number,
  backoff: { initialMs: number; maxMs: number },
  random: () => number,
) {
  const cap = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export function startAmiClient(options: AmiClientOptions): AmiClient {
  const log = options.log.child({ module: "ami" });
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const random = options.random ?? Math.random;
  const parserStats = createFrameParserStats();
  const counters = {
    connects: 0,
    disconnects: 0,
    loginFailures: 0,
    pingFailures: 0,
    actionTimeouts: 0,
    events: 0,
  };
  let state: AmiClientState = "connecting";
  let socket: Socket | null = null;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let closed: Promise<void> = Promise.resolve();
  let lastError: string | undefined;
  /** Frames received on the current connection (see AmiResult.seq). */
  let seq = 0;
  let isPinging = false;

  function write(text: string): boolean {
    if (socket === null || !socket.writable) {
      return false;
    }
    socket.write(text);
    return true;
  }

  const actions = createActionTable({
    idPrefix: `okno-${randomUUID().slice(0, 8)}`,
    timeoutMs: options.actionTimeoutMs ?? 10_000,
    write,
    onTimeout: (action) => {
      counters.actionTimeouts += 1;
      log.warn({ action }, "ami action timed out");
    },
  });

  function handleFrame(frame: AmiFrame): void {
    seq += 1;
    if (actions.accept(frame, seq)) {
      return;
    }
    if (headerOf(frame, "Event") === undefined) {
      log.debug({ actionId: headerOf(frame, "ActionID") }, "ami response for no pending action");
      return;
    }
    counters.events += 1;
    try {
      options.onEvent(frame, seq);
    } catch (err) {
      // A bug in one event's handling must not take the connection down with it.
      log.error({ err, event: headerOf(frame, "Event") }, "ami event handler failed");
    }
  }

  function openSocket(): void {
    state = "connecting";
    seq = 0;
    const s = connect({ host: options.host, port: options.port });
    socket = s;
    s.setNoDelay(true);
    s.setTimeout(options.actionTimeoutMs ?? 10_000, () => s.destroy(new Error("connect timed out")));
    const parser = createFrameParser({
      stats: parserStats,
      onFrame: handleFrame,
      onBanner: (banner) => log.info({ banner }, "ami banner"),
      onGarbage: (reason, sample) => log.warn({ reason, sample }, "ami input skipped"),
    });
    s.on("connect", () => {
      counters.connects += 1;
      state = "authenticating";
      void login(s);
    });
    s.on("data", (chunk: Buffer) => parser.push(chunk));
    s.on("error", (err) => {
      lastError = err.message; // reported with the reconnect, one line per attempt
    });
    closed = new Promise((resolve) =>
      s.once("close", () => {
        handleClose(s);
        resolve();
      }),
    );
  }

  async function login(s: Socket): Promise<void> {
    try {
      // Events: on: all event classes the manager.conf user may read (AMI Login action).
      await actions.send({
        Action: "Login",
        Username: options.username,
        Secret: options.secret,
        Events: "on",
      });
    } catch (err) {
      if (state === "stopped") {
        return;
      }
      if (err instanceof AmiActionError) {
        counters.loginFailures += 1;
      }
      log.error({ err: (err as Error).message }, "ami login failed");
      s.destroy();
      return;
    }
    s.setTimeout(0); // from here the Ping watches the connection
    state = "ready";
    attempt = 0;
    log.info({ host: options.host, port: options.port }, "ami connected");
    pingTimer = setInterval(ping, pingIntervalMs);
    try {
      await options.onReady?.();
    } catch (err) {
      log.warn({ err: (err as Error).message }, "ami ready handler failed");
    }
  }

  function ping(): void {
    if (state !== "ready" || isPinging) {
      return;
    }
    isPinging = true;
    actions
      .send({ Action: "Ping" }, Math.min(pingIntervalMs, options.actionTimeoutMs ?? 10_000))
      .catch(() => {
        if (state !== "ready") {
          return; // the connection closed under it: already being handled
        }
        // A half-open TCP connection looks alive to the kernel for hours; an unanswered Ping is how
        // we notice (asterisk-manager #18: drops after hours with no heartbeat).
        counters.pingFailures += 1;
        log.warn("ami ping unanswered, reconnecting");
        socket?.destroy();
      })
      .finally(() => {
        isPinging = false;
      });
  }

  function handleClose(s: Socket): void {
    if (s !== socket) {
      return;
    }
    socket = null;
    clearInterval(pingTimer);
    actions.rejectAll(new Error("AMI connection closed"));
    if (state === "stopped") {
      return;
    }
    counters.disconnects += 1;
    state = "waiting";
    const delayMs = backoffDelay(attempt, backoff, random);
    attempt += 1;
    log.warn({ delayMs, attempt, err: lastError }, "ami disconnected, reconnecting");
    lastError = undefined;
    retryTimer = setTimeout(openSocket, delayMs);
  }

  async function stop(): Promise<void> {
    state = "stopped";
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    actions.rejectAll(new Error("AMI client stopped"));
    socket?.end();
    const grace = setTimeout(() => socket?.destroy(), 1_000);
    await closed;
    clearTimeout(grace);
  }

  openSocket();
  return {
    sendAction: (action, timeoutMs) =>
      state === "ready"
        ? actions.send(action, timeoutMs)
        : Promise.reject(new Error(`AMI ${action.Action} not sent: ${state}`)),
    stop,
    stats: () => ({ state, ...counters, ...parserStats }),
  };
}
