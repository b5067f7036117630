import { CallEvent } from "@okno/contracts";
import { describe, expect, it } from "vitest";
import { CallConversation, ChannelMessage } from "./payloads.ts";
import { loadMessages } from "./testing/fakeGenesys.ts";
import { partyOfAddress, toCallEvents, type ConversationTrack, type GenesysContext } from "./toCallEvent.ts";

/*
 * Genesys notifications shaped as its documentation shows (fixtures/*.json name the pages), diffed
 * conversation by conversation, give these CallEvents in this order.
 */

const QUEUE = "2f1e7c3a-9b8d-4c6e-a5f4-3d2c1b0a9e8f";
const EXTS: Record<string, string> = {
  "6a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d": "101",
  "7b2c3d4e-5f6a-4b8c-9d0e-1f2a3b4c5d6e": "102",
};
const ctx: GenesysContext = {
  pbx: "genesys",
  extOf: (id) => EXTS[id] ?? null,
  queueOf: (id) => (id === QUEUE ? "Продажи" : id),
  now: () => "2026-03-02T10:00:00.000Z",
};
const [ACD, A1, A2] = [
  "acd00000-0000-4000-8000-000000000002",
  "a9e00000-0000-4000-8000-000000000003",
  "a9e00000-0000-4000-8000-000000000004",
];

function replay(messages: unknown[]): CallEvent[] {
  const tracks = new Map<string, ConversationTrack>();
  const events: CallEvent[] = [];
  for (const message of messages) {
    const { topicName, eventBody } = ChannelMessage.parse(message);
    if (!topicName.endsWith(".conversations.calls")) {
      continue;
    }
    const conv = CallConversation.parse(eventBody);
    const { events: mine, next } = toCallEvents(tracks.get(conv.id), conv, ctx);
    tracks.set(conv.id, next);
    events.push(...mine.map((e) => CallEvent.parse(e)));
  }
  return events;
}

/** What an event says, with its leg and time, without the rest of its envelope. */
function brief(e: CallEvent): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...e, legId: e.legId };
  for (const key of ["id", "callId", "pbx", "raw"]) {
    delete rest[key];
  }
  return rest;
}
const inbound = { direction: "in", from: "+79161234567", line: "+74951234567", queue: "Продажи" };

describe("Genesys conversation notifications → CallEvents", () => {
  it("maps a queued inbound call answered, held and resumed by an agent, ignoring repeats on other topics", () => {
    const events = replay(loadMessages("inbound-queue-answered"));
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        legId: ACD,
        at: "2026-03-02T09:15:03.000Z",
        ...inbound,
        to: "+74951234567",
        agentExt: null,
      },
      {
        type: "call.ringing",
        legId: A1,
        at: "2026-03-02T09:15:09.000Z",
        ...inbound,
        to: "101",
        agentExt: "101",
      },
      { type: "call.answered", legId: A1, at: "2026-03-02T09:15:14.250Z", agentExt: "101" },
      { type: "call.held", legId: A1, at: "2026-03-02T09:16:00.000Z", agentExt: "101" },
      { type: "call.resumed", legId: A1, at: "2026-03-02T10:00:00.000Z", agentExt: "101" },
      {
        type: "call.ended",
        legId: A1,
        at: "2026-03-02T09:17:30.050Z",
        cause: "completed",
        q850: null,
        vendorCause: "peer",
        agentExt: "101",
      },
      {
        type: "call.ended",
        legId: undefined,
        at: "2026-03-02T09:17:30.050Z",
        cause: "completed",
        q850: null,
        vendorCause: "endpoint",
        agentExt: "101",
      },
    ]);
    expect(new Set(events.map((e) => e.callId))).toEqual(
      new Set(["genesys:e3b0c442-98fc-4c14-9afb-f4c8996fb924"]),
    );
  });

  it("calls a call that left the queue before any agent was offered it abandoned", () => {
    const events = replay(loadMessages("abandoned"));
    expect(events.map((e) => [e.type, e.type === "call.ended" ? e.cause : null])).toEqual([
      ["call.ringing", null],
      ["call.ended", "abandoned"],
    ]);
  });

  it("maps a blind transfer from one agent to another", () => {
    const events = replay(loadMessages("blind-transfer"));
    expect(events.map((e) => [e.type, e.legId])).toEqual([
      ["call.ringing", A1],
      ["call.answered", A1],
      ["call.transferred", A1],
      ["call.ended", A1],
      ["call.ringing", A2],
      ["call.answered", A2],
      ["call.ended", A2],
      ["call.ended", undefined],
    ]);
    expect(events.find((e) => e.type === "call.transferred")).toMatchObject({
      kind: "blind",
      fromExt: "101",
      to: "102",
    });
    expect(events.at(-1)).toMatchObject({ cause: "completed", agentExt: "102" });
  });

  it("gives the same ids for the same facts, so a notification seen again after a restart is a no-op for crm-api", () => {
    const first = replay(loadMessages("blind-transfer")).map((e) => e.id);
    expect(replay(loadMessages("blind-transfer")).map((e) => e.id)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it("reads tel: addresses as E.164 and keeps SIP addresses", () => {
    expect(partyOfAddress("tel:+74951234567")).toBe("+74951234567");
    expect(partyOfAddress("sip:Sales@okno.mypurecloud.de")).toBe("sip:Sales@okno.mypurecloud.de");
    expect(partyOfAddress(null)).toBeNull();
  });
});
