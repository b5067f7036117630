import type { WebSocket } from "ws";

export interface Heartbeat {
  /** Starts watching an open socket; it is forgotten when it closes. */
  watch(socket: WebSocket): void;
  stop(): void;
}

/**
 * Finds dead connections that TCP alone would keep for minutes (a laptop lid closed, a NAT or proxy
 * that dropped the mapping): every interval each socket gets a ping frame, and one that has not
 * answered the previous ping with a pong is terminated. Browsers answer pings by themselves, so the
 * desktop needs no code for this; the regular traffic also keeps idle proxies from cutting the socket.
 */
export function startHeartbeat(intervalMs: number): Heartbeat {
  /** Socket → whether it answered since the last ping. */
  const answered = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [socket, isAlive] of answered) {
      if (!isAlive) {
        answered.delete(socket);
        socket.terminate();
        continue;
      }
      answered.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  // The heartbeat alone must not keep the process alive.
  timer.unref();

  return {
    watch(socket) {
      answered.set(socket, true);
      socket.on("pong", () => {
        if (answered.has(socket)) {
          answered.set(socket, true);
        }
      });
      socket.once("close", () => answered.delete(socket));
    },
    stop() {
      clearInterval(timer);
      answered.clear();
    },
  };
}
