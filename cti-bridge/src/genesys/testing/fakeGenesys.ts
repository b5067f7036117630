import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";

/*
 * A stand-in for Genesys Cloud on 127.0.0.1: the OAuth token endpoint, notification channels over REST,
 * and their WebSockets, recording what the adapter asked for. Fixture messages are pushed by the test.
 */

export const CLIENT_ID = "okno-bridge";
export const CLIENT_SECRET = "s3cret-not-for-logs";

export type FakeChannel = {
  id: string;
  topics: string[] | null;
  sockets: WebSocket[];
  isClosedByClient: boolean;
};

export type FakeGenesys = {
  url: string;
  tokenRequests: number;
  /** Bearer tokens seen on API calls. */
  bearers: string[];
  channels: FakeChannel[];
  /** Lifetime of the channels it creates (their `expires`). */
  channelLifetimeMs: number;
  tokenExpiresInSec: number;
  /** Answer the next N API calls 401 (a revoked token). */
  unauthorised: number;
  /** Sends a message on every open socket of a channel (the newest by default). */
  send(message: unknown, channel?: FakeChannel): void;
  close(): Promise<void>;
};

export function loadMessages(name: string): unknown[] {
  const url = new URL(`../fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { messages: unknown[] }).messages;
}

export async function startFakeGenesys(): Promise<FakeGenesys> {
  let issued = 0;
  const fake: FakeGenesys = {
    url: "",
    tokenRequests: 0,
    bearers: [],
    channels: [],
    channelLifetimeMs: 24 * 3_600_000,
    tokenExpiresInSec: 86_399,
    unauthorised: 0,
    send(message, channel = fake.channels.at(-1)) {
      for (const ws of channel?.sockets ?? []) {
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(JSON.stringify(message));
        }
      }
    },
    close: async () => {
      wss.clients.forEach((ws) => ws.terminate());
      server.closeAllConnections();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const json = (status: number, value?: unknown): void => {
      res
        .writeHead(status, { "content-type": "application/json" })
        .end(value === undefined ? "" : JSON.stringify(value));
    };
    if (req.method === "POST" && req.url === "/oauth/token") {
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
      if (req.headers.authorization !== `Basic ${basic}` || body !== "grant_type=client_credentials") {
        return json(401, { error: "invalid_client" });
      }
      fake.tokenRequests += 1;
      issued += 1;
      return json(200, {
        access_token: `token-${issued}`,
        token_type: "bearer",
        expires_in: fake.tokenExpiresInSec,
      });
    }
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    fake.bearers.push(bearer);
    if (!bearer.startsWith("token-") || fake.unauthorised > 0) {
      fake.unauthorised = Math.max(0, fake.unauthorised - 1);
      return json(401, { code: "bad.credentials" });
    }
    if (req.method === "POST" && req.url === "/api/v2/notifications/channels") {
      const id = `streaming-${fake.channels.length + 1}-fake`;
      fake.channels.push({ id, topics: null, sockets: [], isClosedByClient: false });
      const { port } = server.address() as AddressInfo;
      const expires = new Date(Date.now() + fake.channelLifetimeMs).toISOString();
      return json(200, { id, connectUri: `ws://127.0.0.1:${port}/channels/${id}`, expires });
    }
    const subscription = /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/.exec(req.url ?? "");
    const channel = fake.channels.find((c) => c.id === subscription?.[1]);
    if (req.method === "PUT" && channel) {
      channel.topics = (JSON.parse(body) as { id: string }[]).map((t) => t.id);
      return json(200, { entities: channel.topics.map((id) => ({ id })) });
    }
    return json(404, { code: "not.found" });
  }

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => handle(req, res, body));
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    const channel = fake.channels.find((c) => req.url === `/channels/${c.id}`);
    if (!channel) {
      ws.close(4004, "no such channel");
      return;
    }
    channel.sockets.push(ws);
    ws.on("close", (code) => {
      channel.isClosedByClient ||= code === 1000;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Polls until `check` holds (a socket message or a reconnect is asynchronous). */
export async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) {
      throw new Error("condition not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
