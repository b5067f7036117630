import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import WebSocket from "ws";
import type { GenesysApi } from "./api.ts";
import { ChannelMessage } from "./payloads.ts";

export type ChannelOptions = {
  api: GenesysApi;
  topics: string[];
  /** A notification of one of our topics. Should not throw; if it does, the error is logged. */
  onNotification: (topicName: string, eventBody: unknown) => void;
  log: Logger;
  /** No message (Genesys sends a heartbeat about every 30 s) for this long = a dead socket (default 90 s). */
  heartbeatTimeoutMs?: number;
  /** Move to a new channel this long before the current one expires (default 10 min). */
  renewBeforeMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  now?: () => number;
};

export type ChannelStats = {
  channelsOpened: number;
  /** Channels opened to replace one that was about to expire or to close (renewals). */
  renewals: number;
  /** Channels opened after one was lost (socket closed, heartbeat missing). */
  reconnects: number;
  failures: number;
  heartbeats: number;
  notifications: number;
  invalidMessages: number;
};

export type NotificationChannel = { stop(): Promise<void>; stats(): ChannelStats };

/** Genesys channels live 24 h (Notifications API, "Channel lifetime"); used when `expires` is absent. */
const CHANNEL_LIFETIME_MS = 24 * 3_600_000;
const SYSTEM_TOPICS = { heartbeat: "channel.metadata", closing: "v2.system.socket_closing" };

type Live = {
  channelId: string;
  ws: WebSocket;
  renewTimer: NodeJS.Timeout | null;
  watchdog: NodeJS.Timeout | null;
  /** Replaced or closed: its messages no longer count (a renewal's overlap is over). */
  isRetired: boolean;
  /** Genesys announced it will close this socket (v2.system.socket_closing). */
  isClosing: boolean;
};

/**
 * Keeps one Genesys Cloud notification channel streaming:
 *
 *   open: POST /api/v2/notifications/channels ─► PUT …/{id}/subscriptions (topics) ─► WebSocket connectUri
 *   live ── expiry − renewBeforeMs, or v2.system.socket_closing ──► open a new channel, then close the old
 *   live ── socket closed, or no heartbeat for heartbeatTimeoutMs ──► open again, with jittered backoff
 *
 * A renewal opens the new channel before closing the old one, so no notification falls in between;
 * the overlap may deliver one twice, which the conversation tracker ignores (it maps state changes).
 */
export function startNotificationChannel(options: ChannelOptions): NotificationChannel {
  const { api, topics, log, heartbeatTimeoutMs = 90_000, renewBeforeMs = 10 * 60_000 } = options;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const now = options.now ?? Date.now;
  const stopping = new AbortController();
  const stats: ChannelStats = {
    channelsOpened: 0,
    renewals: 0,
    reconnects: 0,
    failures: 0,
    heartbeats: 0,
    notifications: 0,
    invalidMessages: 0,
  };
  let current: Live | null = null;
  let isOpening = false;

  async function open(): Promise<Live> {
    const channel = await api.createChannel();
    await api.subscribe(channel.id, topics);
    const ws = new WebSocket(channel.connectUri, { handshakeTimeout: 15_000 });
    const live: Live = {
      channelId: channel.id,
      ws,
      renewTimer: null,
      watchdog: null,
      isRetired: false,
      isClosing: false,
    };
    // Listeners before "open": ws can deliver a frame in the same tick as the handshake, before any
    // await resumes, and a message lost there is a call event lost.
    ws.on("message", (data: WebSocket.RawData) => handleMessage(live, textOf(data)));
    ws.on("close", () => handleClose(live));
    ws.on("error", (err) =>
      log.warn({ channelId: live.channelId, err: err.message }, "genesys socket error"),
    );
    await new Promise<void>((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("close", () => reject(new Error("genesys socket closed before it opened")));
    });
    if (ws.readyState !== WebSocket.OPEN) {
      retire(live);
      throw new Error("genesys socket closed as it opened");
    }
    const expiresAt = channel.expires ? Date.parse(channel.expires) : now() + CHANNEL_LIFETIME_MS;
    live.renewTimer = setTimeout(
      () => void replace("renew"),
      Math.max(1_000, expiresAt - now() - renewBeforeMs),
    );
    touch(live);
    return live;
  }

  /** Opens a channel until one works; `reason` says why, for the log and the counters. */
  async function replace(reason: "start" | "renew" | "closing" | "lost"): Promise<void> {
    if (isOpening || stopping.signal.aborted) {
      return;
    }
    isOpening = true;
    try {
      for (let attempt = 0; !stopping.signal.aborted; attempt += 1) {
        try {
          const live = await open();
          if (stopping.signal.aborted) {
            retire(live);
            live.ws.close(1000);
            return;
          }
          swap(live, reason);
          return;
        } catch (err) {
          stats.failures += 1;
          const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt) * (0.5 + Math.random() / 2);
          log.warn(
            { reason, attempt: attempt + 1, err: (err as Error).message, delayMs: Math.round(delay) },
            "genesys channel failed",
          );
          await sleep(delay, undefined, { signal: stopping.signal }).catch(() => undefined);
        }
      }
    } finally {
      isOpening = false;
      // A closing notice that came while this was opening (on the channel just opened) is due now.
      if (current?.isClosing) {
        void replace("closing");
      }
    }
  }

  function swap(live: Live, reason: "start" | "renew" | "closing" | "lost"): void {
    const old = current;
    current = live;
    stats.channelsOpened += 1;
    stats.renewals += reason === "renew" || reason === "closing" ? 1 : 0;
    stats.reconnects += reason === "lost" ? 1 : 0;
    log.info({ channelId: live.channelId, reason, topics: topics.length }, "genesys channel live");
    if (old) {
      retire(old);
      old.ws.close(1000);
    }
  }

  function retire(live: Live): void {
    live.isRetired = true;
    for (const timer of [live.renewTimer, live.watchdog]) {
      if (timer) {
        clearTimeout(timer);
      }
    }
    live.renewTimer = null;
    live.watchdog = null;
  }

  /** Any message proves the socket alive; silence for heartbeatTimeoutMs drops it. */
  function touch(live: Live): void {
    if (live.watchdog) {
      clearTimeout(live.watchdog);
    }
    live.watchdog = setTimeout(() => {
      log.warn({ channelId: live.channelId }, "genesys heartbeat missing");
      live.ws.terminate();
    }, heartbeatTimeoutMs);
  }

  /** Messages of the current channel and of one being opened (before the swap) both count. */
  function handleMessage(live: Live, text: string): void {
    if (live.isRetired) {
      return;
    }
    touch(live);
    let parsed: ReturnType<typeof ChannelMessage.safeParse>;
    try {
      parsed = ChannelMessage.safeParse(JSON.parse(text));
    } catch {
      parsed = ChannelMessage.safeParse(null);
    }
    if (!parsed.success) {
      stats.invalidMessages += 1;
      log.warn({ channelId: live.channelId, length: text.length }, "genesys message invalid");
      return;
    }
    const { topicName, eventBody } = parsed.data;
    if (topicName === SYSTEM_TOPICS.heartbeat) {
      stats.heartbeats += 1;
    } else if (topicName === SYSTEM_TOPICS.closing) {
      // The service closes this socket in about a minute (maintenance): move to a new channel now.
      log.info({ channelId: live.channelId }, "genesys socket closing");
      live.isClosing = true;
      void replace("closing");
    } else {
      stats.notifications += 1;
      try {
        options.onNotification(topicName, eventBody);
      } catch (err) {
        log.error({ err, topicName }, "genesys notification handler failed");
      }
    }
  }

  function handleClose(live: Live): void {
    retire(live);
    if (live === current) {
      current = null;
      log.warn({ channelId: live.channelId }, "genesys channel lost");
      void replace("lost");
    }
  }

  void replace("start");

  return {
    stats: () => ({ ...stats }),
    async stop() {
      stopping.abort();
      const live = current;
      current = null;
      if (live) {
        retire(live);
        live.ws.close(1000);
      }
    },
  };
}

function textOf(data: WebSocket.RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString("utf8");
  }
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
}
