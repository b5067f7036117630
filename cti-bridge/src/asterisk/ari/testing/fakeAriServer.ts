import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/*
 * A stand-in for Asterisk's ARI on 127.0.0.1: basic auth as ari.conf users, the REST paths the bridge
 * uses answering as Asterisk does (JSON models, 204 for actions, {"message": …} with 4xx), every request
 * recorded, and the events WebSocket at /ari/events?app=… to which a test pushes events (the real
 * captures in shared/fixtures/asterisk/*.ari.jsonl, or its own) and whose sockets it can drop.
 */

export type AriRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
};

type Reply = { status: number; body?: unknown };

export type FakeAriOptions = {
  user?: string;
  password?: string;
  /** Channels that exist on the PBX (snoop and GET find them; others answer 404). */
  channels?: string[];
  /** Own answer to a request; undefined = the standard one. */
  respond?: (req: AriRequest) => Reply | undefined;
};

export type FakeAriServer = {
  /** ARI_URL with credentials: http://user:pass@127.0.0.1:<port>/ari. */
  url: (user?: string, password?: string) => string;
  requests: AriRequest[];
  /** The app of each events connection, in order. */
  eventConnections: string[];
  /** Sends a JSON event (or raw text) to every open events socket. */
  push: (event: unknown) => void;
  openSockets: () => number;
  /** Cuts every events socket as a restarting Asterisk would. */
  dropSockets: () => void;
  waitForSockets: (count: number, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
};

const channelModel = (id: string, name: string) => ({
  id,
  name,
  state: "Down",
  caller: { name: "", number: "" },
  connected: { name: "", number: "" },
  dialplan: { context: "default", exten: "s", priority: 1 },
});

function standardReply(req: AriRequest, channels: Set<string>): Reply {
  const { method, path, query } = req;
  const parts = path.split("/").filter(Boolean); // ["ari", "channels", id, action]
  const [, collection, id, action] = parts;
  if (collection === "channels") {
    if (method === "POST" && id === undefined) {
      const channelId = query.channelId ?? `${Date.now() / 1000}`;
      channels.add(channelId);
      return { status: 200, body: channelModel(channelId, `${query.endpoint ?? "PJSIP/x"}-00000001`) };
    }
    if (id === undefined || !channels.has(decodeURIComponent(id))) {
      return { status: 404, body: { message: "Channel not found" } };
    }
    if (method === "POST" && action === "snoop") {
      const snoopId = query.snoopId ?? `snoop-${Date.now()}`;
      channels.add(snoopId);
      return { status: 200, body: channelModel(snoopId, `Snoop/${decodeURIComponent(id)}-00000001`) };
    }
    if (method === "DELETE" && action === undefined) {
      channels.delete(decodeURIComponent(id));
      return { status: 204 };
    }
    if (method === "GET" && action === undefined) {
      return { status: 200, body: channelModel(decodeURIComponent(id), "PJSIP/101-00000001") };
    }
    return { status: 409, body: { message: "Channel not in Stasis application" } };
  }
  if (collection === "bridges") {
    if (method === "POST" && id === undefined) {
      return { status: 200, body: { id: query.bridgeId ?? "bridge-1", bridge_type: "mixing", channels: [] } };
    }
    return { status: 204 };
  }
  return { status: 404, body: { message: "Resource not found" } };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) {
    text += (chunk as Buffer).toString("utf8");
  }
  return text === "" ? null : (JSON.parse(text) as unknown);
}

export async function startFakeAriServer(options: FakeAriOptions = {}): Promise<FakeAriServer> {
  const user = options.user ?? "okno";
  const password = options.password ?? "ari-secret";
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const channels = new Set(options.channels ?? []);
  const requests: AriRequest[] = [];
  const eventConnections: string[] = [];
  const sockets = new Set<WebSocket>();
  const tcp = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Authentication required"}');
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: AriRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: await readBody(req),
    };
    requests.push(request);
    const reply = options.respond?.(request) ?? standardReply(request, channels);
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
    } else {
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  server.on("connection", (socket) => {
    tcp.add(socket);
    socket.on("close", () => tcp.delete(socket));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.headers.authorization !== expected || url.pathname !== "/ari/events") {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      eventConnections.push(url.searchParams.get("app") ?? "");
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (u = user, p = password) =>
      `http://${encodeURIComponent(u)}:${encodeURIComponent(p)}@127.0.0.1:${port}/ari`,
    requests,
    eventConnections,
    push: (event) => {
      const text = typeof event === "string" ? event : JSON.stringify(event);
      sockets.forEach((ws) => ws.send(text));
    },
    openSockets: () => sockets.size,
    dropSockets: () => sockets.forEach((ws) => ws.terminate()),
    waitForSockets: async (count, timeoutMs = 3_000) => {
      const deadline = Date.now() + timeoutMs;
      while (sockets.size < count) {
        if (Date.now() > deadline) {
          throw new Error(`no ${count} ARI event sockets within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      sockets.forEach((ws) => ws.terminate());
      tcp.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
