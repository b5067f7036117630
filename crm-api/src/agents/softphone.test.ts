import { randomUUID } from "node:crypto";
import type { CallEvent } from "@okno/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callRow, unknownNumber } from "../cti/testKit.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { fieldsOf, socketsFor } from "./testKit.ts";

/** Events as the desktop's softphone reports them: pbx "sip", call id from the SIP Call-ID. */
function sipCall(callId = `sip:${randomUUID()}@okno.test`, start = Date.now() - 30_000) {
  const at = (sec: number) => new Date(start + sec * 1000).toISOString();
  const base = (sec: number) => ({ id: randomUUID(), callId, pbx: "sip", at: at(sec) });
  return {
    callId,
    incoming: (from: string): CallEvent => ({
      ...base(0),
      type: "call.ringing",
      direction: "in",
      from,
      to: "+74951234567",
    }),
    outgoing: (from: string, to: string): CallEvent => ({
      ...base(0),
      type: "call.ringing",
      direction: "out",
      from,
      to,
    }),
    answered: (sec: number): CallEvent => ({ ...base(sec), type: "call.answered", agentExt: null }),
    ended: (sec: number): CallEvent => ({ ...base(sec), type: "call.ended", cause: "completed" }),
  };
}

describe("POST /calls/softphone-events", () => {
  let t: TestApp;
  let sockets: Awaited<ReturnType<typeof socketsFor>>;
  const report = (login: TestLogin, events: object[]) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/calls/softphone-events",
      headers: t.as(login),
      payload: { events },
    });

  // No CTI token: a company without a bridge, whose desktops report their own calls.
  beforeAll(async () => {
    t = await startTestApp();
    sockets = await socketsFor(t);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await t.close();
  });

  it("applies the desktop's own call like the bridge's: interaction, card push, acw; once per event", async () => {
    const agent1 = await sockets.inbox("agent1");
    const number = unknownNumber();
    const call = sipCall();
    const ringing = call.incoming(number);
    const first = await report("agent1", [ringing]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await agent1.next("call")).call).toMatchObject({
      callId: call.callId,
      state: "ringing",
      agentExt: "101",
      isMine: true,
      card: { contact: { fullName: "Новый клиент" } },
    });
    expect((await report("agent1", [ringing, call.answered(4)])).json()).toEqual({
      accepted: 1,
      duplicates: 1,
    });
    await report("agent1", [call.ended(64)]);
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({
      direction: "in",
      result: "completed",
      duration_sec: 60,
      owner_id: t.org.users.agent1.id,
    });
    expect((await agent1.next("agent.state")).agent.state).toBe("acw");
  });

  it("records an outgoing call from the agent's own extension", async () => {
    const call = sipCall();
    const number = unknownNumber();
    expect(
      (await report("agent2", [call.outgoing("102", number), call.answered(5), call.ended(25)])).statusCode,
    ).toBe(200);
    expect(await callRow(t, call.callId)).toMatchObject({
      direction: "out",
      owner_id: t.org.users.agent2.id,
      result: "completed",
    });
  });

  it("refuses events that are not the user's own softphone calls", async () => {
    const call = sipCall();
    const cases: [object, string][] = [
      [{ ...call.incoming(unknownNumber()), pbx: "ast1" }, "body.events.0.pbx"],
      [{ ...call.incoming(unknownNumber()), callId: "ast1:123.4" }, "body.events.0.callId"],
      [{ ...call.answered(1), agentExt: "102" }, "body.events.0.agentExt"],
      [call.outgoing("102", unknownNumber()), "body.events.0.from"],
      [{ ...call.ended(3), at: "yesterday" }, "body.events.0.at"],
    ];
    for (const [event, field] of cases) {
      const res = await report("agent1", [event]);
      expect(res.statusCode, field).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    }
    expect(await t.db.knex("interactions").where("call_id", call.callId).first()).toBeUndefined();
    // A user without an extension has no softphone calls.
    expect((await report("admin", [call.incoming(unknownNumber())])).statusCode).toBe(409);
    // Another agent's call cannot be ended from a second desktop.
    const theirs = sipCall();
    await report("agent1", [theirs.incoming(unknownNumber())]);
    expect((await report("agent2", [theirs.ended(9)])).statusCode).toBe(403);
    expect((await callRow(t, theirs.callId)).ended_at).toBeNull();
  });

  it("lets the colleague a call is transferred to report their own leg of it, and only then", async () => {
    const call = sipCall();
    const leg = <E extends CallEvent>(legId: string, e: E): E => ({ ...e, legId });
    const colleague = (sec: number) => [
      leg("b", { ...call.incoming("101"), direction: "internal", to: "102", at: call.answered(sec).at }),
      leg("b", call.answered(sec + 2)),
    ];
    await report("agent1", [leg("a", call.incoming(unknownNumber())), leg("a", call.answered(3))]);
    // Consulted but not yet handed the call: agent2 is no one on it.
    expect((await report("agent2", colleague(20))).statusCode).toBe(403);
    const { id, at } = call.answered(40);
    const transferred: CallEvent = {
      id,
      at,
      callId: call.callId,
      pbx: "sip",
      type: "call.transferred",
      kind: "attended",
      to: "102",
    };
    const handedOver = await report("agent1", [
      leg("a", transferred),
      leg("a", { ...call.ended(40), agentExt: null }),
    ]);
    expect(handedOver.statusCode).toBe(200);
    expect((await report("agent2", colleague(20))).statusCode).toBe(200);
    expect((await report("agent2", [call.ended(100)])).statusCode).toBe(200);
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({ result: "completed", owner_id: t.org.users.agent2.id });
    const legs = Object.values(row.payload.call.legs).map((l) => [l.agentExt, l.answeredAt !== null]);
    expect(legs).toEqual(
      expect.arrayContaining([
        ["101", true],
        ["102", true],
      ]),
    );
  });

  it("limits reports per user", async () => {
    const bad = { ...sipCall().answered(1), pbx: "ast1" };
    let status = 0;
    for (let i = 0; i < 121 && status !== 429; i += 1) {
      status = (await report("manager2", [bad])).statusCode;
    }
    expect(status).toBe(429);
    // Another user is not affected.
    expect((await report("manager1", [bad])).statusCode).toBe(400);
  });
});
