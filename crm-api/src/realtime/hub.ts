import { WS_CLOSE_SESSION_ENDED, type ServerMessage } from "@okno/contracts";
import type { Db } from "@okno/db";
import type { FastifyBaseLogger } from "fastify";
import { WebSocket } from "ws";
import type { z } from "zod";
import { canSee } from "../access/scope.ts";
import { AUTH_CHANNEL, EVICT_ALL } from "../auth/plugin.ts";
import type { Principal } from "../auth/principal.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { CHANGES_CHANNEL, ChangeNotice } from "./publishChange.ts";
import { USER_MESSAGES_CHANNEL, UserMessageNotice } from "./publishToUsers.ts";

/** One open `/api/v1/ws` socket and who opened it. */
export interface Connection {
  socket: WebSocket;
  /** Loaded at the upgrade; the socket is closed when it goes stale (`user:<id>` on okno_auth). */
  principal: Principal;
  /** Hash of the token the socket authenticated with: logging that token out closes the socket. */
  tokenHash: string;
}

export interface Hub {
  /** Registers an open socket; it leaves the hub by itself when it closes. */
  add(conn: Connection): void;
  /** Sends a message to every open socket of these users on this instance. */
  sendToUsers(userIds: readonly string[], message: ServerMessage): void;
  /** Stops listening and pinging, and closes every socket. */
  close(): Promise<void>;
}

export interface HubOptions {
  db: Db;
  log: FastifyBaseLogger;
  heartbeatMs?: number;
}

/** A client that reads slower than we write is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * This instance's sockets, fed by LISTEN: every crm-api instance hears every NOTIFY on the shared
 * database and forwards it to its own sockets, so a change made through any instance reaches everyone.
 *
 *   service (transaction) ──publishChange──► NOTIFY okno_changes ──► each instance's hub ──► sockets in scope
 *   logout / user change ───────────────────► NOTIFY okno_auth    ──► each instance's hub ──► close sockets
 *   a call for users ────publishToUsers─────► NOTIFY okno_user_messages ──► hubs ──► those users' sockets
 */
export async function startHub({ db, log, heartbeatMs = 30_000 }: HubOptions): Promise<Hub> {
  const byUser = new Map<string, Set<Connection>>();
  const heartbeat = startHeartbeat(heartbeatMs);
  // Listener callbacks run outside any request: an exception there would escape to the process.
  const guarded = (channel: string, fn: (payload: string) => void) => (payload: string) => {
    try {
      fn(payload);
    } catch (err) {
      log.error({ err, channel }, "realtime notice handling failed");
    }
  };
  const sendToUsers = (userIds: readonly string[], message: ServerMessage) => {
    for (const userId of userIds) {
      for (const conn of byUser.get(userId) ?? []) {
        sendMessage(conn.socket, message);
      }
    }
  };
  const unlisten = await Promise.all([
    db.listen(
      CHANGES_CHANNEL,
      guarded(CHANGES_CHANNEL, (payload) => forwardChange(byUser, payload, log)),
    ),
    db.listen(
      AUTH_CHANNEL,
      guarded(AUTH_CHANNEL, (payload) => endSessions(byUser, payload, log)),
    ),
    db.listen(
      USER_MESSAGES_CHANNEL,
      guarded(USER_MESSAGES_CHANNEL, (payload) => {
        const notice = parseJson(UserMessageNotice, payload);
        if (!notice.success) {
          log.warn(
            { channel: USER_MESSAGES_CHANNEL, reason: notice.reason },
            "malformed user message dropped",
          );
          return;
        }
        sendToUsers(notice.data.userIds, notice.data.message);
      }),
    ),
  ]);

  return {
    add(conn) {
      const userId = conn.principal.userId;
      let set = byUser.get(userId);
      if (!set) {
        set = new Set();
        byUser.set(userId, set);
      }
      set.add(conn);
      heartbeat.watch(conn.socket);
      conn.socket.once("close", () => {
        set.delete(conn);
        if (set.size === 0 && byUser.get(userId) === set) {
          byUser.delete(userId);
        }
      });
    },
    sendToUsers,
    async close() {
      heartbeat.stop();
      await Promise.all(unlisten.map((stop) => stop()));
      for (const set of byUser.values()) {
        for (const conn of set) {
          conn.socket.close(1001, "server shutting down");
        }
      }
      byUser.clear();
    },
  };
}

/** Sends a message if the socket is open; a socket that stopped reading is terminated instead. */
export function sendMessage(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState !== WebSocket.OPEN) {
    return;
  }
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(JSON.stringify(message));
}

/** Tells each socket whose principal may see the record (under any of its owners) that it changed. */
function forwardChange(byUser: Map<string, Set<Connection>>, payload: string, log: FastifyBaseLogger): void {
  const notice = parseJson(ChangeNotice, payload);
  if (!notice.success) {
    log.warn({ channel: CHANGES_CHANNEL, reason: notice.reason }, "malformed change notice dropped");
    return;
  }
  const { entity, id, action, at, owners } = notice.data;
  // Clients compare and sort by `at`: one format (UTC, `Z`) whatever the database's TimeZone.
  const message: ServerMessage = {
    type: "entity.changed",
    entity,
    id,
    action,
    at: new Date(at).toISOString(),
  };
  for (const set of byUser.values()) {
    for (const conn of set) {
      if (owners.some((owner) => canSee(conn.principal, entity, owner))) {
        sendMessage(conn.socket, message);
      }
    }
  }
}

function parseJson<T>(
  schema: z.ZodType<T>,
  payload: string,
): { success: true; data: T } | { success: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { success: false, reason: "not JSON" };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join(".") || "(root)");
    return { success: false, reason: `invalid ${[...new Set(paths)].join(", ")}` };
  }
  return { success: true, data: parsed.data };
}

/**
 * `okno_auth` carries a token hash (that session was logged out or revoked) or `user:<id>` (the user was
 * deactivated, or their role or department changed) or `all` (a role's matrix or the department tree
 * changed: rare admin acts). Either way the socket's principal is no longer valid: close it, and the
 * client's reconnect authenticates afresh (with the new scope) or gets 401.
 */
function endSessions(byUser: Map<string, Set<Connection>>, payload: string, log: FastifyBaseLogger): void {
  const ended: Connection[] = [];
  if (payload === EVICT_ALL) {
    for (const set of byUser.values()) {
      ended.push(...set);
    }
  } else if (payload.startsWith("user:")) {
    ended.push(...(byUser.get(payload.slice(5)) ?? []));
  } else {
    for (const set of byUser.values()) {
      ended.push(...[...set].filter((conn) => conn.tokenHash === payload));
    }
  }
  for (const conn of ended) {
    log.info({ userId: conn.principal.userId }, "socket closed: session ended");
    conn.socket.close(WS_CLOSE_SESSION_ENDED, "session ended");
  }
}
