import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentState, AgentStateName, AgentStateResult, CtiCommandResult } from "@okno/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { testConfig } from "../config.ts";
import { CTI_TOKEN } from "../cti/testKit.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";
import { queueActionOf } from "./pbx.ts";

const state = (s: AgentStateName): AgentState => ({
  userId: crypto.randomUUID(),
  state: s,
  reason: s === "paused" ? "lunch" : null,
  note: null,
  since: new Date().toISOString(),
});

describe("queue commands for state changes", () => {
  it("logs in, pauses, unpauses and logs out; after-call work is Okno's own", () => {
    const cases: [AgentStateName, AgentStateName, string | null][] = [
      ["offline", "available", "login"],
      ["available", "paused", "pause"],
      ["paused", "paused", "pause"],
      ["paused", "available", "unpause"],
      ["acw", "available", null],
      ["available", "acw", null],
      ["available", "offline", "logout"],
      ["paused", "offline", "logout"],
      ["offline", "offline", null],
    ];
    for (const [from, to, action] of cases) {
      expect(queueActionOf(state(from), state(to)), `${from} → ${to}`).toBe(action);
    }
  });
});

describe("PUT /agents/me/state without a PBX", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("saves the state and says no PBX was told", async () => {
    const res = await t.app.inject({
      method: "PUT",
      url: "/api/v1/agents/me/state",
      headers: t.as("agent1"),
      payload: { state: "paused", reason: "other", note: "Совещание" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<AgentStateResult>()).toMatchObject({
      state: "paused",
      reason: "other",
      note: "Совещание",
      pbx: null,
    });
  });
});

describe("PUT /agents/me/state with a CTI bridge", () => {
  let t: TestApp;
  let app: FastifyInstance;
  let bridge: Server;
  const received: { auth: string | undefined; body: unknown }[] = [];
  let answer: CtiCommandResult = { ok: true };
  const put = (payload: object) =>
    app.inject({ method: "PUT", url: "/api/v1/agents/me/state", headers: t.as("agent2"), payload });

  beforeAll(async () => {
    t = await startTestApp();
    // A fake bridge on loopback: records each command and answers what the test says the PBX did.
    bridge = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => bridge.listen(0, "127.0.0.1", resolve));
    const { port } = bridge.address() as AddressInfo;
    const config = {
      ...testConfig({ cti: { token: CTI_TOKEN } }),
      bridge: { url: `http://127.0.0.1:${port}` },
    };
    app = await buildApp({ config, db: t.db });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => bridge.close(resolve));
    await t.close();
  });

  it("logs the agent into the queues, pauses and unpauses them, and says what the PBX did", async () => {
    expect((await put({ state: "available" })).json()).toMatchObject({
      state: "available",
      pbx: { applied: true },
    });
    expect((await put({ state: "paused", reason: "break" })).json()).toMatchObject({
      pbx: { applied: true },
    });
    answer = { ok: false, code: "pbx_error", message: "Interface not found" };
    // The PBX refuses: the agent is available in Okno all the same, and the answer says so.
    const refused = await put({ state: "available" });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({
      state: "available",
      pbx: { applied: false, error: "Interface not found" },
    });
    expect(received.map((r) => r.body)).toEqual([
      { type: "agent.queue", agentExt: "102", action: "login" },
      { type: "agent.queue", agentExt: "102", action: "pause", reason: "break" },
      { type: "agent.queue", agentExt: "102", action: "unpause" },
    ]);
    expect(received.every((r) => r.auth === `Bearer ${CTI_TOKEN}`)).toBe(true);
  });

  it("keeps the state when the bridge is down", async () => {
    await new Promise((resolve) => bridge.close(resolve));
    const res = await put({ state: "offline" });
    expect(res.statusCode).toBe(200);
    expect(res.json<AgentStateResult>()).toMatchObject({ state: "offline", pbx: { applied: false } });
    expect(res.json<AgentStateResult>().pbx!.error).toContain("not reachable");
  });
});
