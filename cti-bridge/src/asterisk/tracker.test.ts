import type { CallEvent } from "@okno/contracts";
import { describe, expect, it } from "vitest";
import type { AmiFrame } from "./amiFrame.ts";
import { toParty } from "./channels.ts";
import { causeOfDialStatus, causeOfQ850 } from "./endCause.ts";
import { loadCapture, parseFrames, rewriteCapture, type Capture } from "./testing/captures.ts";
import { EXPECTED } from "./testing/expectedEvents.ts";
import { brief, trackFrames } from "./testing/replay.ts";
import { createTrackerState } from "./trackerState.ts";

const track = (capture: Capture, agentPattern?: RegExp) =>
  trackFrames(parseFrames(capture.frames), { agentPattern });
const ofType = (events: CallEvent[], type: CallEvent["type"]) =>
  events.filter((event) => event.type === type);
const linesOf = (events: CallEvent[]) =>
  ofType(events, "call.ringing").map((e) => (e.type === "call.ringing" ? e.line : null));

/** A channel event as AMI sends it (only the fields the tracker reads). */
function channelEvent(
  event: string,
  channel: string,
  uniqueid: string,
  linkedid: string,
  extra: AmiFrame = {},
): AmiFrame {
  return {
    Event: event,
    Channel: channel,
    ChannelStateDesc: "Up",
    CallerIDNum: "",
    Exten: "s",
    Uniqueid: uniqueid,
    Linkedid: linkedid,
    ...extra,
  };
}

function dial(
  event: "DialBegin" | "DialEnd",
  from: [string, string],
  to: [string, string],
  linkedid: string,
  extra: AmiFrame,
): AmiFrame {
  return {
    ...channelEvent(event, from[0], from[1], linkedid),
    DestChannel: to[0],
    DestUniqueid: to[1],
    DestLinkedid: linkedid,
    ...extra,
  };
}

describe("the DID (line) of an inbound call", () => {
  const answered = loadCapture("inbound-answered");

  it("comes from the CRM_DID variable when the trunk's Exten says nothing (FreePBX-style 's')", () => {
    const capture = rewriteCapture(answered, (text) => text.replaceAll("Exten: 74951234567", "Exten: s"));
    expect(capture.frames.join("")).not.toContain("Exten: 74951234567");
    expect(linesOf(track(capture))).toEqual(["+74951234567", "+74951234567", "+74951234567"]);
  });

  it("comes from the trunk channel's Exten when the dialplan sets no variable", () => {
    const capture = rewriteCapture(answered, (text) => (text.includes("CRM_DID") ? null : text));
    expect(linesOf(track(capture))).toEqual(["+74951234567", "+74951234567", "+74951234567"]);
  });

  it("comes from manager.conf channelvars (ChanVariable headers) when neither is there", () => {
    const capture = rewriteCapture(answered, (text, index) => {
      if (text.includes("CRM_DID")) {
        return null;
      }
      const stripped = text.replaceAll("Exten: 74951234567", "Exten: s");
      // The trunk's Newchannel, with two ChanVariable headers as channelvars=CRM_DID,CRM_SOURCE gives.
      return index === 2
        ? stripped.replace(
            /\r\n\r\n$/,
            "\r\nChanVariable: CRM_DID=74951234567\r\nChanVariable: CRM_SOURCE=direct\r\n\r\n",
          )
        : stripped;
    });
    const ringing = ofType(track(capture), "call.ringing");
    expect(ringing.map((e) => (e.type === "call.ringing" ? [e.line, e.source] : null))).toEqual([
      ["+74951234567", "main"], // the dialplan's __CRM_SOURCE VarSet still follows and wins
      ["+74951234567", "main"],
      ["+74951234567", "main"],
    ]);
  });

  it("is absent when nothing names it", () => {
    const capture = rewriteCapture(answered, (text) =>
      text.includes("CRM_DID") ? null : text.replaceAll("Exten: 74951234567", "Exten: s"),
    );
    expect(linesOf(track(capture))).toEqual([null, null, null]);
  });
});

describe("the call tracker", () => {
  it("takes a caller moved by Redirect (no transfer event) as a blind transfer", () => {
    const capture = rewriteCapture(loadCapture("inbound-blindxfer"), (text) =>
      text.startsWith("Event: BlindTransfer") || text.includes("Reason: transfer") ? null : text,
    );
    expect(track(capture).map(brief)).toEqual(EXPECTED["inbound-blindxfer"]?.events);
  });

  it("ignores a hangup for an unknown call", () => {
    const events = trackFrames([
      channelEvent("Hangup", "PJSIP/trunk-00000009", "9.9", "9.9", { Cause: "16" }),
    ]);
    expect(events).toEqual([]);
  });

  it("closes a call on CEL LINKEDID_END and ignores what comes after", () => {
    const frames = parseFrames(loadCapture("inbound-answered").frames);
    const lastHangup = frames.findLastIndex((frame) => frame.Event === "Hangup");
    const cel: AmiFrame = {
      Event: "CEL",
      EventName: "LINKEDID_END",
      LinkedID: "1795456775.0",
      UniqueID: "1795456775.1",
    };
    const events = trackFrames([...frames.slice(0, lastHangup), cel, ...frames.slice(lastHangup)]);
    expect(ofType(events, "call.ended").filter((event) => event.legId === undefined)).toHaveLength(1);
    expect(events.map(brief)).toEqual(EXPECTED["inbound-answered"]?.events);
  });

  it("announces an inbound call that hung up in the IVR as missed", () => {
    const trunk = channelEvent("Newchannel", "PJSIP/trunk-00000001", "5.1", "5.1", {
      CallerIDNum: "89031112233",
      Exten: "74951234567",
    });
    const events = trackFrames([trunk, { ...trunk, Event: "Hangup", Cause: "16" }]);
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        legId: "5.1",
        direction: "in",
        from: "+79031112233",
        to: "+74951234567",
        line: "+74951234567",
        agentExt: null,
        queue: null,
        source: null,
      },
      { type: "call.ended", cause: "missed", q850: 16, agentExt: null },
    ]);
  });

  it("reports a busy outside number on an outgoing call", () => {
    const agent: [string, string] = ["PJSIP/101-00000001", "7.1"];
    const trunk: [string, string] = ["PJSIP/trunk-00000002", "7.2"];
    const events = trackFrames([
      channelEvent("Newchannel", agent[0], agent[1], "7.1", { CallerIDNum: "101", Exten: "84951112233" }),
      dial("DialBegin", agent, trunk, "7.1", { DestExten: "84951112233", DialString: "84951112233@trunk" }),
      dial("DialEnd", agent, trunk, "7.1", { DialStatus: "BUSY" }),
      channelEvent("Hangup", trunk[0], trunk[1], "7.1", { Cause: "17" }),
      channelEvent("Hangup", agent[0], agent[1], "7.1", { Cause: "17" }),
    ]);
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        legId: "7.2",
        direction: "out",
        from: "101",
        to: "+74951112233",
        line: null,
        agentExt: "101",
        queue: null,
        source: null,
      },
      { type: "call.ended", cause: "busy", q850: 17, agentExt: "101" },
    ]);
  });

  it("marks a call between two extensions internal, held and resumed by the agent", () => {
    const a: [string, string] = ["PJSIP/101-00000001", "8.1"];
    const b: [string, string] = ["PJSIP/102-00000002", "8.2"];
    const events = trackFrames([
      channelEvent("Newchannel", a[0], a[1], "8.1", { CallerIDNum: "101", Exten: "102" }),
      dial("DialBegin", a, b, "8.1", { DestExten: "102" }),
      dial("DialEnd", a, b, "8.1", { DialStatus: "ANSWER" }),
      channelEvent("Unhold", b[0], b[1], "8.1"),
      channelEvent("Hold", b[0], b[1], "8.1"),
      channelEvent("Hold", b[0], b[1], "8.1"),
      channelEvent("Unhold", b[0], b[1], "8.1"),
    ]);
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        legId: "8.2",
        direction: "internal",
        from: "101",
        to: "102",
        line: null,
        agentExt: "102",
        queue: null,
        source: null,
      },
      { type: "call.answered", legId: "8.2", agentExt: "102" },
      { type: "call.held", legId: "8.2", agentExt: "102" },
      { type: "call.resumed", legId: "8.2", agentExt: "102" },
    ]);
  });

  it("takes a click-to-call (Originate rings the agent first, then dials out) as an outgoing call", () => {
    // Originate: DialBegin/DialEnd with only Dest* fields for the agent's own phone (fixtures README).
    const agent: [string, string] = ["PJSIP/101-00000001", "6.1"];
    const trunk: [string, string] = ["PJSIP/trunk-00000002", "6.2"];
    const originate = {
      DestChannel: agent[0],
      DestChannelStateDesc: "Down",
      DestCallerIDNum: "101",
      DestExten: "s",
      DestUniqueid: agent[1],
      DestLinkedid: "6.1",
    };
    const events = trackFrames([
      channelEvent("Newchannel", agent[0], agent[1], "6.1", { CallerIDNum: "101", ChannelStateDesc: "Down" }),
      { ...originate, Event: "DialBegin" },
      { ...originate, Event: "DialEnd", DialStatus: "ANSWER" },
      dial("DialBegin", agent, trunk, "6.1", { DestExten: "89161234567" }),
      dial("DialEnd", agent, trunk, "6.1", { DialStatus: "ANSWER" }),
      channelEvent("Hangup", trunk[0], trunk[1], "6.1", { Cause: "16" }),
      channelEvent("Hangup", agent[0], agent[1], "6.1", { Cause: "16" }),
    ]);
    expect(events.map(brief)).toEqual([
      {
        type: "call.ringing",
        legId: "6.2",
        direction: "out",
        from: "101",
        to: "+79161234567",
        line: null,
        agentExt: "101",
        queue: null,
        source: null,
      },
      { type: "call.answered", legId: "6.2", agentExt: "101" },
      { type: "call.ended", cause: "completed", q850: 16, agentExt: "101" },
    ]);
  });

  it("follows the agent pattern it is given: an endpoint that does not match is not an agent", () => {
    const events = track(loadCapture("webrtc-inbound"), /^PJSIP\/(\d{3})$/);
    // Nobody rang as an agent, so only the call itself is announced; the Cdr still says it was answered.
    expect(events.map((event) => event.type)).toEqual(["call.ringing", "call.ended", "recording.ready"]);
    expect(ofType(events, "call.ringing").map(brief)).toEqual([
      expect.objectContaining({ agentExt: null, to: "+74950000201" }),
    ]);
    expect(ofType(events, "call.ended").map(brief)).toEqual([
      { type: "call.ended", cause: "completed", q850: 16, agentExt: null },
    ]);
  });

  it("gives the same fact the same id every time (crm-api deduplicates by id)", () => {
    const capture = loadCapture("inbound-atxfer");
    expect(track(capture).map((event) => event.id)).toEqual(track(capture).map((event) => event.id));
  });

  it("keeps nothing once every call is over", () => {
    const state = createTrackerState();
    trackFrames(parseFrames(loadCapture("inbound-atxfer").frames), { state });
    expect({ calls: state.calls.size, channels: state.channels.size }).toEqual({ calls: 0, channels: 0 });
  });
});

describe("end causes and parties", () => {
  it.each([
    [17, "busy"],
    [21, "busy"],
    [1, "failed"],
    [34, "failed"],
    [19, "missed"],
    [null, "missed"],
  ] as const)("reads Q.850 %s as %s", (code, cause) => {
    expect(causeOfQ850(code)).toBe(cause);
  });

  it.each([
    ["BUSY", "busy"],
    ["CONGESTION", "failed"],
    ["CHANUNAVAIL", "failed"],
    ["NOANSWER", "missed"],
    ["ANSWER", null],
  ] as const)("reads DialStatus %s as %s", (status, cause) => {
    expect(causeOfDialStatus(status)).toBe(cause);
  });

  it.each([
    ["79161234567", "+79161234567"],
    ["89161234567", "+79161234567"],
    ["103", "103"],
    ["<unknown>", "anonymous"],
    ["", "anonymous"],
  ])("writes the party %j as %j", (raw, party) => {
    expect(toParty(raw)).toBe(party);
  });
});
