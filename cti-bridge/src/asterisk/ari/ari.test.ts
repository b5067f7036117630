import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIXTURES_DIR } from "../testing/captures.ts";
import type { AriEvent } from "./ariEvents.ts";
import { AriError, createAriRest } from "./ariRest.ts";
import { startAriSocket } from "./ariSocket.ts";
import { startAri, type Ari } from "./index.ts";
import { startFakeAriServer, type FakeAriServer } from "./testing/fakeAriServer.ts";

const log = pino({ level: "silent" });
const FAST = { initialMs: 20, maxMs: 50 };

async function waitFor(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const at = "2026-11-23T17:59:35.791+0000";
const channel = (id: string, name: string) => ({
  id,
  name,
  state: "Up",
  caller: { name: "", number: "" },
  connected: { name: "", number: "" },
  dialplan: { context: "okno", exten: "s", priority: 1 },
});
const event = (type: string, fields: Record<string, unknown>) => ({
  type,
  timestamp: at,
  application: "okno",
  ...fields,
});

let fake: FakeAriServer;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeAriServer({ channels: ["1795456775.3"] });
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await fake.close();
});

describe("ARI REST client", () => {
  it("authenticates with the credentials of ARI_URL and maps ARI's refusals", async () => {
    const wrong = createAriRest({ ariUrl: fake.url("okno", "wrong"), log });
    await expect(wrong.getChannel("1795456775.3")).rejects.toMatchObject({ kind: "http", status: 401 });
    expect(fake.requests).toHaveLength(0);

    const rest = createAriRest({ ariUrl: fake.url(), log });
    await expect(rest.getChannel("1795456775.3")).resolves.toMatchObject({ id: "1795456775.3" });
    const missing = await rest.hangup("1795456775.99").catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(AriError);
    expect(missing).toMatchObject({ kind: "not_found", status: 404 });
    expect((missing as Error).message).toContain("Channel not found");
    expect((missing as Error).message).not.toContain("ari-secret");
    await expect(
      rest.continueInDialplan("1795456775.3", { context: "x", extension: "1" }),
    ).rejects.toMatchObject({ kind: "conflict" });
  });

  it("reports a PBX that does not listen as a network error", async () => {
    const port = Number(new URL(fake.url()).port);
    await fake.close();
    fake = await startFakeAriServer();
    const rest = createAriRest({ ariUrl: `http://okno:x@127.0.0.1:${port}/ari`, log, timeoutMs: 1_000 });
    await expect(rest.getChannel("1")).rejects.toMatchObject({ kind: "network" });
  });

  it("originates into the dialplan with our channel id and the variables in the JSON body", async () => {
    const rest = createAriRest({ ariUrl: fake.url(), log });
    const created = await rest.originate({
      endpoint: "PJSIP/101",
      context: "from-agents",
      extension: "+79161234567",
      channelId: "okno-1",
      callerId: "+79161234567",
      timeoutSec: 30,
      variables: { CRM_CONTACT_ID: "c-1" },
    });
    expect(created.id).toBe("okno-1");
    expect(fake.requests[0]).toEqual({
      method: "POST",
      path: "/ari/channels",
      query: {
        endpoint: "PJSIP/101",
        channelId: "okno-1",
        callerId: "+79161234567",
        timeout: "30",
        context: "from-agents",
        extension: "+79161234567",
        priority: "1",
      },
      body: { variables: { CRM_CONTACT_ID: "c-1" } },
    });
  });
});

describe("ARI events socket", () => {
  it("validates every event of a real capture and skips what fails its schema", async () => {
    const received: AriEvent[] = [];
    const socket = startAriSocket({ ariUrl: fake.url(), app: "okno", log, onEvent: (e) => received.push(e) });
    closers.push(socket.stop);
    await socket.ready();
    expect(fake.eventConnections).toEqual(["okno"]);
    const lines = readFileSync(resolve(FIXTURES_DIR, "inbound-atxfer.ari.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    lines.forEach((line) => fake.push(line));
    await waitFor(() => socket.stats().events + socket.stats().otherEvents === lines.length, "the capture");
    expect(socket.stats().invalidEvents).toBe(0);
    const destroyed = received.filter((e) => e.type === "ChannelDestroyed");
    expect(destroyed.length).toBeGreaterThan(0);
    expect(received.some((e) => e.type === "ChannelEnteredBridge")).toBe(true);

    fake.push({ type: "StasisStart", timestamp: at, application: "okno", args: [] }); // no channel
    fake.push("not json");
    await waitFor(() => socket.stats().invalidEvents === 2, "the invalid events");
    expect(received.filter((e) => e.type === "StasisStart")).toHaveLength(0);
  });

  it("reconnects with backoff after the PBX drops the socket, and after a refused login", async () => {
    const socket = startAriSocket({ ariUrl: fake.url(), app: "okno", log, onEvent: () => {}, backoff: FAST });
    closers.push(socket.stop);
    await socket.ready();
    fake.dropSockets();
    await waitFor(() => fake.eventConnections.length === 2, "a second connection");
    await fake.waitForSockets(1);
    // The server counts the connection before the client's `open` handler has run.
    await waitFor(() => socket.stats().state === "open", "the client to see its socket open");
    expect(socket.stats()).toMatchObject({ state: "open", connects: 2, disconnects: 1 });

    const refused = startAriSocket({
      ariUrl: fake.url("okno", "wrong"),
      app: "okno",
      log,
      onEvent: () => {},
      backoff: FAST,
    });
    closers.push(refused.stop);
    await waitFor(() => refused.stats().disconnects >= 2, "retries of a refused login");
    expect(refused.stats().connects).toBe(0);
  });
});

describe("supervisor snoop", () => {
  let ari: Ari;
  beforeEach(async () => {
    ari = startAri({ ariUrl: fake.url(), app: "okno", log, backoff: FAST });
    closers.push(ari.stop);
    await ari.ready();
  });

  it("snoops on the agent's leg, rings the supervisor and bridges both once they are in Stasis", async () => {
    const session = await ari.supervisor.supervise({
      agentChannelId: "1795456775.3",
      supervisorEndpoint: "PJSIP/201",
      mode: "whisper",
    });
    const [bridge, snoop, originate] = fake.requests;
    expect(bridge).toMatchObject({ method: "POST", path: "/ari/bridges", query: { type: "mixing" } });
    expect(snoop).toMatchObject({
      method: "POST",
      path: "/ari/channels/1795456775.3/snoop",
      query: { app: "okno", spy: "both", whisper: "out", snoopId: session.snoopId },
    });
    expect(originate).toMatchObject({
      path: "/ari/channels",
      query: { endpoint: "PJSIP/201", app: "okno", channelId: session.supervisorId },
    });

    fake.push(event("StasisStart", { channel: channel(session.snoopId, "Snoop/x"), args: ["okno-snoop"] }));
    fake.push(event("StasisStart", { channel: channel(session.supervisorId, "PJSIP/201-1"), args: [] }));
    const added = () => fake.requests.filter((r) => r.path === `/ari/bridges/${session.bridgeId}/addChannel`);
    await waitFor(() => added().length === 2, "both channels bridged");
    expect(added().map((r) => r.query.channel)).toEqual([session.snoopId, session.supervisorId]);

    // The supervisor hangs up: the snoop goes and the bridge is destroyed.
    fake.push(
      event("ChannelDestroyed", {
        channel: channel(session.supervisorId, "PJSIP/201-1"),
        cause: 16,
        cause_txt: "x",
      }),
    );
    await waitFor(
      () => fake.requests.some((r) => r.method === "DELETE" && r.path === `/ari/bridges/${session.bridgeId}`),
      "the bridge destroyed",
    );
    expect(
      fake.requests.some((r) => r.method === "DELETE" && r.path === `/ari/channels/${session.snoopId}`),
    ).toBe(true);
    expect(ari.supervisor.active()).toBe(0);
  });

  it("listen only spies; a leg that is gone fails with not_found and leaves no bridge behind", async () => {
    await ari.supervisor.supervise({
      agentChannelId: "1795456775.3",
      supervisorEndpoint: "PJSIP/201",
      mode: "listen",
    });
    expect(fake.requests[1]?.query).toMatchObject({ spy: "both", whisper: "none" });
    fake.requests.length = 0;

    const failed = ari.supervisor.supervise({
      agentChannelId: "1795456775.77",
      supervisorEndpoint: "PJSIP/201",
      mode: "barge",
    });
    await expect(failed).rejects.toMatchObject({ kind: "not_found" });
    expect(fake.requests.map((r) => `${r.method} ${r.path.split("/")[2]}`)).toContain("DELETE bridges");
    expect(fake.requests.some((r) => r.path === "/ari/channels" && r.method === "POST")).toBe(false);
    expect(ari.supervisor.active()).toBe(1); // the first session, still ringing
  });
});
