import { PROTOCOL_VERSION, ServerMessage, WS_CLOSE_SESSION_ENDED, type ClientMessage } from "@okno/contracts";
import { create } from "zustand";
import { receiveAgentPush } from "./agent/agentStore.ts";
import { useAuth } from "./auth/authStore.ts";
import { useCalls } from "./calls/callStore.ts";
import { useChanges } from "./changes.ts";
import { config } from "./config.ts";
import { showHandover, showTaskReminder } from "./tasks/reminders.ts";

/**
 * The push channel: `call` cards, `entity.changed` refreshes. Reconnects with capped exponential
 * backoff and jitter (so a restarted crm-api is not hit by every desktop at once).
 *
 * ```
 *  connecting ──open──► open ──close──► waiting ──timer──► connecting
 *      └───────error/close────────────────┘   (session ended or repeated failures: ask /auth/me first)
 * ```
 */
export type SocketStatus = "connecting" | "open" | "waiting" | "stopped";

interface ConnectionState {
  status: SocketStatus;
  /** crm-api speaks another protocol version: the page must reload to get the matching app. */
  needsReload: boolean;
}

export const useConnection = create<ConnectionState>()(() => ({ status: "stopped", needsReload: false }));

const PING_EVERY_MS = 25_000;
const MAX_DELAY_MS = 30_000;
/** After this many failed attempts in a row, check the session: a 401 upgrade looks like any failure. */
const CHECK_SESSION_AFTER = 3;

/** 1 s, 2 s, 4 s … up to 30 s, each scaled by a random 0.5–1 so clients spread out. */
export function nextDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}

/** Applies one frame from crm-api; an invalid frame is dropped (a newer server may send more kinds). */
export function handleServerMessage(text: string, receivedAt: number): void {
  let parsed: ReturnType<typeof ServerMessage.safeParse>;
  try {
    parsed = ServerMessage.safeParse(JSON.parse(text));
  } catch {
    return;
  }
  if (!parsed.success) {
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case "hello":
      if (message.protocolVersion !== PROTOCOL_VERSION) {
        useConnection.setState({ needsReload: true });
      }
      return;
    case "call":
      useCalls.getState().receive(message.call, receivedAt);
      return;
    case "entity.changed":
      useChanges.getState().bump(message.entity);
      return;
    case "task.reminder":
      showTaskReminder(message.reminder);
      return;
    case "call.handover":
      useCalls.getState().receiveHandover(message.handover);
      showHandover(message.handover);
      return;
    case "agent.state":
      receiveAgentPush(message.agent);
      return;
    case "pong":
      return;
  }
}

/** Opens the socket and keeps it open until the returned function is called (logout, unmount). */
export function startSocket(): () => void {
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  let attempt = 0;
  let stopped = false;

  const connect = () => {
    useConnection.setState({ status: "connecting" });
    const url = new URL(config.wsPath, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(url);
    socket.onopen = () => {
      attempt = 0;
      useConnection.setState({ status: "open" });
      ping = setInterval(() => send({ type: "ping" }), PING_EVERY_MS);
    };
    socket.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data === "string") {
        handleServerMessage(event.data, performance.now());
      }
    };
    socket.onclose = (event) => {
      clearInterval(ping);
      if (!stopped) {
        void reconnect(event.code === WS_CLOSE_SESSION_ENDED);
      }
    };
  };

  const send = (message: ClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
    }
  };

  const reconnect = async (sessionEnded: boolean) => {
    useConnection.setState({ status: "waiting" });
    attempt += 1;
    if (sessionEnded || attempt % CHECK_SESSION_AFTER === 0) {
      await useAuth.getState().restore();
      if (useAuth.getState().status !== "signedIn") {
        return; // the app goes back to the login page, which stops this socket
      }
    }
    timer = setTimeout(connect, sessionEnded ? 0 : nextDelay(attempt - 1));
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(ping);
    socket?.close(1000);
    useConnection.setState({ status: "stopped" });
  };
}
