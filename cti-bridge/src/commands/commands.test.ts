import Fastify, { type FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { headerOf, type AmiFrame } from "../asterisk/amiFrame.ts";
import { startAri, type Ari } from "../asterisk/ari/index.ts";
import { startFakeAriServer, type FakeAriServer } from "../asterisk/ari/testing/fakeAriServer.ts";
import { startAsteriskAdapter, type AsteriskAdapter } from "../asterisk/index.ts";
import { frameIndex, loadCapture } from "../asterisk/testing/captures.ts";
import { startFakeAmiServer, type FakeAmiServer } from "../asterisk/testing/fakeAmiServer.ts";
import { PBX_IDS } from "../bridge.ts";
import type { CommandTargets } from "./dispatch.ts";
import { commandRoutes } from "./routes.ts";

/*
 * POST /bridge/commands against a real AMI connection: the Asterisk adapter tracks a call replayed from
 * the inbound-answered capture (101 has answered the caller on PJSIP/trunk-00000000), and the fake AMI
 * server records the action frames each command sends.
 */

const TOKEN = "bridge-test-token-0123456789abcdefghijkl";
const CALL = "ast1:1795456775.0";
const AGENT_CHANNEL = "PJSIP/101-00000001";
const log = pino({ level: "silent" });

/** Answers for command actions, as Asterisk words them; everything else is the fake's default. */
function answer(action: AmiFrame, reply: (frame: AmiFrame) => void): boolean {
  const name = headerOf(action, "Action") ?? "";
  const ActionID = headerOf(action, "ActionID") ?? "";
  const error = (Message: string) => reply({ Response: "Error", ActionID, Message });
  if (
    !["Hangup", "BlindTransfer", "Atxfer", "CancelAtxfer", "QueuePause", "QueueAdd", "Originate"].includes(
      name,
    )
  ) {
    return false;
  }
  if (name === "QueuePause" && headerOf(action, "Interface") === "PJSIP/999") {
    error("Interface not found");
  } else if (name === "QueueAdd" && headerOf(action, "Queue") === "support") {
    error("Unable to add interface: Already there");
  } else {
    reply({ Response: "Success", ActionID, Message: `${name} done` });
  }
  return true;
}

let ami: FakeAmiServer;
let adapter: AsteriskAdapter;
let app: FastifyInstance;
let targets: CommandTargets;
/** Index in ami.actions where the current test's actions start. */
let mark = 0;

const sent = () => ami.actions.slice(mark).filter((a) => headerOf(a, "Action") !== "Ping");
const send = (body: unknown, token: string | null = TOKEN) =>
  app.inject({
    method: "POST",
    url: "/bridge/commands",
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    payload: body as object,
  });

beforeAll(async () => {
  const capture = loadCapture("inbound-answered");
  const answered = frameIndex(capture, (f) => headerOf(f, "Event") === "AgentConnect");
  ami = await startFakeAmiServer({
    scripts: [{ replay: [{ capture, toFrame: answered + 1 }], onAction: answer }],
  });
  adapter = startAsteriskAdapter({ amiUrl: ami.url(), pbxId: PBX_IDS.asterisk, onEvent: () => {}, log });
  await ami.replayDone(0);
  const deadline = Date.now() + 3_000;
  while (adapter.lookupCall("1795456775.0")?.agentLeg?.name !== AGENT_CHANNEL) {
    if (Date.now() > deadline) {
      throw new Error("the tracker never saw 101 answer");
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  targets = {
    pbxIds: PBX_IDS,
    asterisk: { pbxId: PBX_IDS.asterisk, ami: adapter, ari: null, dialContext: "from-agents" },
    mango: null,
  };
  app = Fastify();
  await app.register(commandRoutes, { prefix: "/bridge", token: TOKEN, targets, log });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await adapter.stop();
  await ami.close();
});

beforeEach(() => {
  mark = ami.actions.length;
  targets.asterisk = { ...targets.asterisk!, ari: null };
});

describe("POST /bridge/commands: access and input", () => {
  it("refuses a request without the CTI token (401) or with a wrong one (403), sending nothing", async () => {
    const hangup = { type: "call.hangup", callId: CALL };
    expect((await send(hangup, null)).statusCode).toBe(401);
    const wrong = await send(hangup, "not-the-token-0123456789abcdefghijklmnop");
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(sent()).toHaveLength(0);
  });

  it("answers 400 naming the field for a malformed command", async () => {
    const res = await send({ type: "call.transfer", callId: CALL, to: "кому-то", mode: "blind" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ "body.to": "must be an E.164 number or an extension" });
    expect((await send({ type: "call.explode", callId: CALL })).statusCode).toBe(400);
    expect(sent()).toHaveLength(0);
  });

  it("says which PBX it cannot command", async () => {
    expect((await send({ type: "call.hangup", callId: "genesys:abc" })).json()).toMatchObject({
      ok: false,
      code: "unsupported",
    });
    expect((await send({ type: "call.hangup", callId: "mango:abc" })).json()).toMatchObject({
      ok: false,
      code: "not_configured",
    });
  });
});

describe("POST /bridge/commands on Asterisk through AMI", () => {
  it("blind-transfers the caller from the agent's channel into the dial context", async () => {
    const res = await send({ type: "call.transfer", callId: CALL, to: "103", mode: "blind" });
    expect(res.json()).toEqual({ ok: true });
    expect(sent()).toEqual([
      expect.objectContaining({
        Action: "BlindTransfer",
        Channel: AGENT_CHANNEL,
        Exten: "103",
        Context: "from-agents",
      }),
    ]);
  });

  it("starts, completes and cancels an attended transfer on the agent's channel", async () => {
    await send({ type: "call.transfer", callId: CALL, to: "+79161234567", mode: "attended" });
    await send({ type: "call.transfer.cancel", callId: CALL });
    await send({ type: "call.transfer.complete", callId: CALL });
    expect(sent().map((a) => [a.Action, a.Channel, a.Exten])).toEqual([
      ["Atxfer", AGENT_CHANNEL, "+79161234567"],
      ["CancelAtxfer", AGENT_CHANNEL, undefined],
      ["Hangup", AGENT_CHANNEL, undefined],
    ]);
  });

  it("hangs up one leg by its Uniqueid, or every real leg of the call", async () => {
    expect((await send({ type: "call.hangup", callId: CALL, legId: "1795456775.0" })).json()).toEqual({
      ok: true,
    });
    expect(sent().map((a) => a.Channel)).toEqual(["PJSIP/trunk-00000000"]);
    mark = ami.actions.length;
    await send({ type: "call.hangup", callId: CALL });
    expect(
      sent()
        .map((a) => a.Channel)
        .sort(),
    ).toEqual([AGENT_CHANNEL, "PJSIP/trunk-00000000"]);
  });

  it("answers not_found for a call or leg the PBX does not have, sending nothing", async () => {
    expect((await send({ type: "call.hangup", callId: "ast1:1700000000.1" })).json()).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect((await send({ type: "call.hangup", callId: CALL, legId: "1795456775.42" })).json()).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(sent()).toHaveLength(0);
  });

  it("pauses and logs in queue members, and reports an unknown member", async () => {
    await send({ type: "agent.queue", agentExt: "101", action: "pause", reason: "lunch" });
    expect(sent()[0]).toMatchObject({
      Action: "QueuePause",
      Interface: "PJSIP/101",
      Paused: "true",
      Reason: "lunch",
    });
    const login = await send({ type: "agent.queue", agentExt: "101", queue: "support", action: "login" });
    expect(login.json()).toEqual({ ok: true }); // "Already there" is where login wanted them
    const unknown = await send({ type: "agent.queue", agentExt: "999", action: "unpause" });
    expect(unknown.json()).toMatchObject({ ok: false, code: "not_found" });
  });

  it("click-to-call rings the agent first with our channel id, which is the new callId", async () => {
    const res = await send({ type: "call.originate", agentExt: "101", to: "+79161234567" });
    const { callId } = res.json<{ ok: true; callId: string }>();
    expect(callId).toMatch(/^ast1:okno-/);
    expect(sent()[0]).toMatchObject({
      Action: "Originate",
      Channel: "PJSIP/101",
      Context: "from-agents",
      Exten: "+79161234567",
      Priority: "1",
      Async: "true",
      ChannelId: callId.slice("ast1:".length),
    });
  });

  it("without ARI, a supervisor listens through ChanSpy on the agent's channel", async () => {
    await send({ type: "call.supervise", callId: CALL, supervisorExt: "201", mode: "whisper" });
    expect(sent()[0]).toMatchObject({
      Action: "Originate",
      Channel: "PJSIP/201",
      Application: "ChanSpy",
      Data: `${AGENT_CHANNEL},qEw`,
    });
  });
});

describe("POST /bridge/commands on Asterisk with ARI", () => {
  let fakeAri: FakeAriServer;
  let ari: Ari;
  beforeAll(async () => {
    fakeAri = await startFakeAriServer({ channels: ["1795456775.0", "1795456775.1"] });
    ari = startAri({ ariUrl: fakeAri.url(), app: "okno", log });
    await ari.ready();
  });
  afterAll(async () => {
    await ari.stop();
    await fakeAri.close();
  });
  beforeEach(() => {
    targets.asterisk = { ...targets.asterisk!, ari };
    fakeAri.requests.length = 0;
  });

  it("snoops on the agent's leg (its Uniqueid) and rings the supervisor into the Stasis app", async () => {
    const res = await send({ type: "call.supervise", callId: CALL, supervisorExt: "201", mode: "barge" });
    expect(res.json()).toEqual({ ok: true });
    expect(fakeAri.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /ari/bridges",
      "POST /ari/channels/1795456775.1/snoop",
      "POST /ari/channels",
    ]);
    expect(fakeAri.requests[1]?.query).toMatchObject({ spy: "both", whisper: "both", app: "okno" });
    expect(sent()).toHaveLength(0);
  });

  it("originates through ARI into the dial context and hangs up by channel id", async () => {
    const res = await send({
      type: "call.originate",
      agentExt: "101",
      to: "+79161234567",
      contactId: "5b0f6c1e-3f57-4c3c-9a51-7d1f0f2d7e11",
    });
    const { callId } = res.json<{ callId: string }>();
    expect(fakeAri.requests[0]).toMatchObject({
      method: "POST",
      path: "/ari/channels",
      query: { endpoint: "PJSIP/101", context: "from-agents", extension: "+79161234567" },
      body: { variables: { CRM_CONTACT_ID: "5b0f6c1e-3f57-4c3c-9a51-7d1f0f2d7e11" } },
    });
    expect(callId).toBe(`ast1:${fakeAri.requests[0]?.query.channelId}`);
    await send({ type: "call.hangup", callId: CALL, legId: "1795456775.1" });
    expect(fakeAri.requests[1]).toMatchObject({ method: "DELETE", path: "/ari/channels/1795456775.1" });
  });
});
