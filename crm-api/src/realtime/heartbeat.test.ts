import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { startHeartbeat, type Heartbeat } from "./heartbeat.ts";

describe("heartbeat", () => {
  let server: WebSocketServer;
  let heartbeat: Heartbeat;
  let url: string;

  beforeAll(async () => {
    heartbeat = startHeartbeat(50);
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    server.on("connection", (socket) => heartbeat.watch(socket));
    await once(server, "listening");
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    heartbeat.stop();
    for (const client of server.clients) {
      client.terminate();
    }
    await new Promise((resolve) => server.close(resolve));
  });

  it("terminates a client that stopped answering pings and keeps one that answers", async () => {
    // autoPong: false plays a peer that vanished without closing (no pong ever comes back).
    const dead = new WebSocket(url, { autoPong: false });
    const alive = new WebSocket(url);
    await Promise.all([once(dead, "open"), once(alive, "open")]);

    const [code] = (await once(dead, "close")) as [number];
    // 1006: the connection was cut without a close frame, as `terminate()` does.
    expect(code).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
  });
});
