import type { CallEvent } from "@okno/contracts";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGenesysAdapter, type GenesysAdapter, type GenesysAdapterOptions } from "./adapter.ts";
import { createGenesysApi } from "./api.ts";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  loadMessages,
  startFakeGenesys,
  waitFor,
  type FakeGenesys,
} from "./testing/fakeGenesys.ts";

/*
 * The adapter against a fake Genesys Cloud on 127.0.0.1: token, channel, subscriptions, WebSocket,
 * heartbeats, renewal and reconnection, with notifications from the documented shapes (fixtures).
 */

const USERS = [
  { id: "6a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d", ext: "101" },
  { id: "7b2c3d4e-5f6a-4b8c-9d0e-1f2a3b4c5d6e", ext: "102" },
];
const QUEUES = [{ id: "2f1e7c3a-9b8d-4c6e-a5f4-3d2c1b0a9e8f", name: "Продажи" }];

let fake: FakeGenesys;
let adapter: GenesysAdapter | null;
let events: CallEvent[];
let logLines: string[];

beforeEach(async () => {
  fake = await startFakeGenesys();
  adapter = null;
  events = [];
  logLines = [];
});

afterEach(async () => {
  await adapter?.stop();
  await fake.close();
});

function start(overrides: Partial<GenesysAdapterOptions> = {}): GenesysAdapter {
  adapter = startGenesysAdapter({
    region: "mypurecloud.de",
    loginUrl: fake.url,
    apiUrl: fake.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: USERS,
    queues: QUEUES,
    pbxId: "genesys",
    onEvent: (e) => void events.push(e),
    log: pino({ level: "debug" }, { write: (line: string) => logLines.push(line) }),
    channel: { backoff: { initialMs: 10, maxMs: 50 } },
    ...overrides,
  });
  return adapter;
}

const openSockets = (i: number) =>
  fake.channels[i]?.sockets.filter((ws) => ws.readyState === ws.OPEN).length ?? 0;

describe("Genesys Cloud adapter", () => {
  it("subscribes the users' and queues' call topics and maps the documented notifications", async () => {
    start();
    await waitFor(() => openSockets(0) === 1);
    expect(fake.channels[0]?.topics).toEqual([
      `v2.users.${USERS[0]!.id}.conversations.calls`,
      `v2.users.${USERS[1]!.id}.conversations.calls`,
      `v2.routing.queues.${QUEUES[0]!.id}.conversations.calls`,
    ]);
    for (const message of loadMessages("inbound-queue-answered")) {
      fake.send(message);
    }
    await waitFor(() => events.some((e) => e.type === "call.ended" && e.legId === undefined));
    expect(events.map((e) => e.type)).toEqual([
      "call.ringing",
      "call.ringing",
      "call.answered",
      "call.held",
      "call.resumed",
      "call.ended",
      "call.ended",
    ]);
    expect(adapter?.stats()).toMatchObject({ heartbeats: 2, invalidNotifications: 0, rejectedCallEvents: 0 });
    expect(logLines.join("")).not.toContain(CLIENT_SECRET);
  });

  it("moves to a new channel before the old one expires, and closes the old one", async () => {
    fake.channelLifetimeMs = 1_500;
    start({ channel: { renewBeforeMs: 1_000, backoff: { initialMs: 10, maxMs: 50 } } });
    await waitFor(() => openSockets(1) === 1, 5_000);
    expect(fake.channels[1]?.topics).toHaveLength(3);
    await waitFor(() => fake.channels[0]?.isClosedByClient === true);
    expect(adapter?.stats()).toMatchObject({ renewals: 1, reconnects: 0 });
    // One token serves both channels: it is cached until shortly before it expires.
    expect(fake.tokenRequests).toBe(1);
  });

  it("moves to a new channel when Genesys announces the socket is closing", async () => {
    start();
    await waitFor(() => openSockets(0) === 1);
    fake.send({ topicName: "v2.system.socket_closing", eventBody: { message: "Socket closing" } });
    await waitFor(() => openSockets(1) === 1 && fake.channels[0]?.isClosedByClient === true);
    // Notifications flow on the new channel; the old one is gone.
    fake.send(loadMessages("abandoned")[0]);
    await waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({ type: "call.ringing", queue: "Продажи" });
  });

  it("reconnects with backoff when the socket drops, and when heartbeats stop", async () => {
    start({ channel: { heartbeatTimeoutMs: 300, backoff: { initialMs: 10, maxMs: 50 } } });
    await waitFor(() => openSockets(0) === 1);
    fake.channels[0]?.sockets[0]?.terminate();
    await waitFor(() => (adapter?.stats().reconnects ?? 0) >= 1);
    // No heartbeat on the new channel: after 300 ms the adapter gives it up and opens another.
    await waitFor(() => (adapter?.stats().reconnects ?? 0) >= 2, 3_000);
    expect(logLines.some((line) => line.includes("genesys heartbeat missing"))).toBe(true);
    expect(fake.channels.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps trying while Genesys refuses, and recovers", async () => {
    fake.unauthorised = 4;
    start();
    await waitFor(() => openSockets(0) === 1);
    expect(adapter?.stats().failures).toBeGreaterThanOrEqual(1);
  });
});

describe("Genesys token", () => {
  it("caches the token until shortly before expiry and shares one request between callers", async () => {
    let clock = 1_000_000;
    fake.tokenExpiresInSec = 3_600;
    const api = createGenesysApi({
      loginUrl: fake.url,
      apiUrl: fake.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      log: pino({ level: "silent" }),
      tokenMarginMs: 60_000,
      now: () => clock,
    });
    const [a, b] = await Promise.all([api.token(), api.token()]);
    expect([a, b, fake.tokenRequests]).toEqual(["token-1", "token-1", 1]);
    clock += 3_600_000 - 61_000;
    expect(await api.token()).toBe("token-1");
    clock += 2_000;
    expect(await api.token()).toBe("token-2");
  });

  it("takes a new token once when the API says the current one is no longer valid", async () => {
    const api = createGenesysApi({
      loginUrl: fake.url,
      apiUrl: fake.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      log: pino({ level: "silent" }),
    });
    fake.unauthorised = 1;
    const channel = await api.createChannel();
    expect(channel.id).toBe("streaming-1-fake");
    expect(fake.bearers).toEqual(["token-1", "token-2"]);
  });
});
