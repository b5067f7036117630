import type { CallEvent } from "@okno/contracts";
import { afterEach, describe, expect, it } from "vitest";
import type { MangoIngest } from "./ingest.ts";
import { causeOfReason, phoneOf } from "./legFacts.ts";
import { brief, loadFixture, replayIngest, type FixtureWebhook } from "./testing/mangoTesting.ts";

/*
 * The Mango sequences of the API document's appendix (fixtures/*.json say which pages), fed in order
 * through the ingest without HTTP, give these CallEvents, in this order.
 */

const CUSTOMER = "+79161234567";
const MAIN = "+74951234567";
const ingests: MangoIngest[] = [];
afterEach(() => ingests.splice(0).forEach((i) => i.close()));

function replay(webhooks: FixtureWebhook[]): { events: CallEvent[]; ingest: MangoIngest } {
  const replayed = replayIngest(webhooks);
  ingests.push(replayed.ingest);
  return replayed;
}

const ringing = (legId: string, fields: Record<string, unknown>) => ({
  type: "call.ringing",
  legId,
  direction: "in",
  from: CUSTOMER,
  line: MAIN,
  queue: null,
  ...fields,
});
const ended = (legId: string | undefined, cause: string, vendorCause: string, agentExt: string | null) => ({
  type: "call.ended",
  ...(legId === undefined ? {} : { legId }),
  cause,
  q850: null,
  vendorCause,
  agentExt,
});

describe("Mango events/call → CallEvents", () => {
  it("maps an inbound call routed from the IVR and answered by an agent (PDF pp. 331–333)", () => {
    const { events } = replay(loadFixture("inbound-answered"));
    expect(events.map(brief)).toEqual([
      ringing("100:500:256", { to: MAIN, agentExt: null }),
      ended("100:500:256", "completed", "1100", null),
      ringing("100:500:257", { to: "101", agentExt: "101" }),
      { type: "call.answered", legId: "100:500:257", agentExt: "101" },
      ended("100:500:257", "completed", "1120", "101"),
      ended(undefined, "completed", "1120", "101"),
      { type: "recording.ready", recordingId: "MToxMDE2NzE0NzoxOTE3NTk4NTkxOjA=" },
    ]);
    expect(events.every((e) => e.callId === "mango:232wc3e3w3s222" && e.pbx === "mango")).toBe(true);
    // Whole seconds from Mango, the leg's seq as milliseconds so one leg's events stay in order.
    expect(events.slice(2, 5).map((e) => e.at)).toEqual([
      "2014-05-12T15:02:57.001Z",
      "2014-05-12T15:03:08.002Z",
      "2014-05-12T15:03:28.003Z",
    ]);
  });

  it("maps a call nobody answered: the leg ends missed, and so does the call (entry_result 0)", () => {
    const { events } = replay(loadFixture("missed"));
    expect(events.map(brief)).toEqual([
      ringing("300:201", { from: "+79031112233", to: "101", line: "+74957654321", agentExt: "101" }),
      ended("300:201", "missed", "1110", "101"),
      ended(undefined, "missed", "1110", null),
    ]);
  });

  it("maps a consultative transfer between two employees (PDF pp. 339–342)", () => {
    const { events } = replay(loadFixture("consult-transfer"));
    const [a, b] = ["200:514", "202:515"];
    expect(events.map(brief)).toEqual([
      ringing(a, { to: "101", agentExt: "101" }),
      { type: "call.answered", legId: a, agentExt: "101" },
      { type: "call.held", legId: a, agentExt: "101" },
      {
        type: "call.ringing",
        legId: b,
        direction: "internal",
        from: "101",
        to: "102",
        line: null,
        agentExt: "102",
        queue: null,
      },
      { type: "call.answered", legId: b, agentExt: "102" },
      ended(a, "completed", "1120", "101"),
      { type: "call.transferred", legId: b, kind: "attended", fromExt: "101", to: "102" },
      ended(b, "completed", "1110", "102"),
      ended(undefined, "completed", "1110", "102"),
    ]);
  });

  it("maps a blind transfer: the customer replaces the employee on a leg that is still ringing (PDF pp. 337–340)", () => {
    const { events } = replay(loadFixture("blind-transfer"));
    const [a, b] = ["300:200", "400-200"];
    expect(events.map(brief)).toEqual([
      ringing(a, { to: "101", agentExt: "101" }),
      { type: "call.answered", legId: a, agentExt: "101" },
      { type: "call.held", legId: a, agentExt: "101" },
      {
        type: "call.ringing",
        legId: b,
        direction: "internal",
        from: "101",
        to: "102",
        line: null,
        agentExt: "102",
        queue: null,
      },
      ended(a, "completed", "1120", "101"),
      { type: "call.transferred", legId: b, kind: "blind", fromExt: "101", to: "102" },
      { type: "call.answered", legId: b, agentExt: "102" },
      ended(b, "completed", "1110", "102"),
    ]);
  });

  it("gives every event a stable id: the same sequence replayed yields the same ids", () => {
    const first = replay(loadFixture("consult-transfer")).events.map((e) => e.id);
    const second = replay(loadFixture("consult-transfer")).events.map((e) => e.id);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it("resumes a held call when the same leg connects again", () => {
    const leg = loadFixture("consult-transfer").slice(0, 3);
    const resumed = { ...(leg[2]?.json as object), seq: "4", call_state: "Connected", timestamp: 1398957000 };
    const { events } = replay([...leg, { path: "events/call", json: resumed }]);
    expect(events.map(brief).at(-1)).toEqual({ type: "call.resumed", legId: "200:514", agentExt: "101" });
  });

  it("calls an unanswered inbound call that waited in a queue abandoned", () => {
    const queued = {
      entry_id: "q1",
      call_id: "q1:1",
      timestamp: 1700000000,
      seq: 1,
      call_state: "Appeared",
      location: "queue",
      from: { number: "79161234567" },
      to: { number: "74951234567", line_number: "74951234567", acd_group: "500" },
    };
    const left = {
      ...queued,
      seq: 2,
      call_state: "Disconnected",
      disconnect_reason: 1110,
      timestamp: 1700000030,
    };
    const summary = {
      entry_id: "q1",
      call_direction: 1,
      from: { number: "79161234567" },
      to: { extension: "500" },
      line_number: "74951234567",
      create_time: 1700000000,
      talk_time: 0,
      end_time: 1700000030,
      entry_result: 0,
      disconnect_reason: 1110,
    };
    const { events } = replay([
      { path: "events/call", json: queued },
      { path: "events/call", json: left },
      { path: "events/summary", json: summary },
    ]);
    expect(events.map(brief)).toEqual([
      ringing("q1:1", { to: MAIN, agentExt: null, queue: "500" }),
      ended("q1:1", "abandoned", "1110", null),
      ended(undefined, "abandoned", "1110", null),
    ]);
  });

  it("treats a callback's first leg as an outgoing call from the employee, not as his answer (PDF pp. 329–331)", () => {
    const leg = {
      call_id: "100:500:251",
      entry_id: "cb1",
      timestamp: 1399906971,
      seq: "1",
      location: "abonent",
      call_state: "Appeared",
      from: { extension: "5555", number: "79161234567" },
      to: { extension: "101", number: "74951110101" },
      command_id: "okno-1",
    };
    const { events, ingest } = replay([
      { path: "events/call", json: leg },
      { path: "events/call", json: { ...leg, seq: "2", call_state: "Connected" } },
    ]);
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        legId: "100:500:251",
        direction: "out",
        from: "101",
        to: "5555",
        line: null,
        agentExt: "101",
        queue: null,
      },
    ]);
    expect(ingest.calls().get("cb1")?.wasAnswered).toBe(false);
  });

  it("rebuilds a call it saw no leg of from the summary alone", () => {
    const summary = loadFixture("inbound-answered").find((w) => w.path === "events/summary");
    const { events } = replay([summary as FixtureWebhook]);
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        direction: "in",
        from: CUSTOMER,
        to: "101",
        line: MAIN,
        agentExt: "101",
        queue: null,
      },
      { type: "call.answered", agentExt: "101" },
      ended(undefined, "completed", "1120", "101"),
    ]);
  });
});

describe("Mango facts", () => {
  it("reads Mango's bare international digits as E.164 and keeps what is no phone", () => {
    expect(phoneOf("74955404444")).toBe("+74955404444");
    expect(phoneOf("380441234567")).toBe("+380441234567");
    expect(phoneOf("sip:aaa@mangosip.ru")).toBe("sip:aaa@mangosip.ru");
  });

  it("normalises disconnect_reason groups: 42xx busy, billing / bad number / technical failed, 11xx open", () => {
    expect([4201, 2100, 3201, 5001, 5003, 1110, 1120, null].map(causeOfReason)).toEqual([
      "busy",
      "failed",
      "failed",
      "failed",
      "failed",
      null,
      null,
      null,
    ]);
  });
});
