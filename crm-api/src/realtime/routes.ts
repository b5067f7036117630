import { ClientMessage, PROTOCOL_VERSION } from "@okno/contracts";
import type { FastifyBaseLogger, FastifyPluginAsync } from "fastify";
import type { RawData, WebSocket } from "ws";
import { principalOf, requestToken } from "../auth/plugin.ts";
import { hashToken } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { sendMessage, startHub } from "./hub.ts";

/**
 * `GET /ws`: the push channel of the desktop. The upgrade request passes the same onRequest hook as
 * every route, so it needs the session cookie (the browser path: a browser cannot set headers on a
 * WebSocket) or `Authorization: Bearer` (API clients). There is deliberately no `?token=`: a token in a
 * URL ends up in proxy and access logs, and every non-browser client can send the header.
 */
export const realtimeRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const hub = await startHub({ db: ctx.db, log: ctx.log.child({ module: "realtime" }) });
    app.addHook("onClose", () => hub.close());

    app.get("/ws", { websocket: true }, (socket, req) => {
      const principal = principalOf(req);
      // The hook has authenticated this very token, so it is present.
      const tokenHash = hashToken(requestToken(req) ?? "");
      hub.add({ socket, principal, tokenHash });
      sendMessage(socket, { type: "hello", protocolVersion: PROTOCOL_VERSION, userId: principal.userId });
      socket.on("message", (data, isBinary) => handleClientMessage(socket, data, isBinary, req.log));
    });
  };

/** Answers a client message; anything that is not a valid ClientMessage is ignored, never fatal. */
function handleClientMessage(
  socket: WebSocket,
  data: RawData,
  isBinary: boolean,
  log: FastifyBaseLogger,
): void {
  const text = isBinary ? undefined : rawText(data);
  const message = text === undefined ? undefined : parseClientMessage(text);
  if (!message) {
    log.debug({ length: text?.length, isBinary }, "invalid client message ignored");
    return;
  }
  switch (message.type) {
    case "ping":
      sendMessage(socket, { type: "pong" });
      return;
  }
}

function parseClientMessage(text: string): ClientMessage | undefined {
  try {
    const parsed = ClientMessage.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `ws` hands a frame over as a Buffer, or as fragments for a message that came in pieces. */
function rawText(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString("utf8");
  }
  return data instanceof ArrayBuffer ? Buffer.from(data).toString("utf8") : data.toString("utf8");
}
