import type { CallEvent } from "@okno/contracts";
import { describe, expect, it } from "vitest";
import { headerOf, type AmiFrame } from "./amiFrame.ts";
import { EXPECTED } from "./testing/expectedEvents.ts";
import {
  byteOffsetOf,
  frameIndex,
  listCaptures,
  loadCapture,
  parseFrames,
  type Capture,
} from "./testing/captures.ts";
import type { ConnectionScript } from "./testing/fakeAmiServer.ts";
import { brief, runAdapter, trackFrames } from "./testing/replay.ts";

/*
 * A connection dropped mid-call (mid-frame, even), a reconnect with backoff, a resync with
 * CoreShowChannels + QueueStatus (+ Getvar), then the events that follow: nothing lost, nothing doubled.
 * The fake server's snapshot is what Asterisk would report after the frames it has sent.
 */

const isEvent =
  (name: string, extra: (frame: AmiFrame) => boolean = () => true) =>
  (frame: AmiFrame) =>
    headerOf(frame, "Event") === name && extra(frame);
const dest = (channel: string) => (frame: AmiFrame) =>
  headerOf(frame, "DestChannel")?.startsWith(channel) === true;

/**
 * Drops connection 1 `into` bytes inside frame `dropFrame`; connection 2 resumes at frame `resumeFrame`,
 * streaming at once (its snapshot then includes what it streamed before answering) or, with
 * `replayAfter`, only once the resync has read the snapshot.
 */
async function dropAndResume(
  capture: Capture,
  dropFrame: number,
  resumeFrame: number,
  { into = 7, replayAfter }: { into?: number; replayAfter?: ConnectionScript["replayAfter"] } = {},
) {
  const expectedApplied = dropFrame + capture.frames.length - resumeFrame;
  const run = await runAdapter(
    [
      { replay: [{ capture }], dropAtByte: byteOffsetOf(capture, dropFrame) + into },
      { replay: [{ capture, fromFrame: resumeFrame }], replayAfter },
    ],
    {
      isDone: (stats) =>
        stats.connects >= 2 &&
        stats.resyncs + stats.resyncFailures >= 2 &&
        stats.appliedEvents >= expectedApplied,
    },
  );
  expect(run.stats).toMatchObject({ connects: 2, disconnects: 1, activeCalls: 0, rejectedCallEvents: 0 });
  return run;
}

function idsOf(events: CallEvent[]): string[] {
  return events.map((event) => event.id);
}

describe("a dropped AMI connection", () => {
  const dropPoints = (capture: Capture) =>
    [1, 2, 3, 4, 5, 6, 7, 8].map((i) => Math.floor((capture.frames.length * i) / 9));

  it.each(listCaptures())(
    "resumed where it broke loses and doubles nothing in %s, wherever it breaks",
    async (name) => {
      const capture = loadCapture(name);
      const uninterrupted = trackFrames(parseFrames(capture.frames));
      for (const at of dropPoints(capture)) {
        const { events } = await dropAndResume(capture, at, at);
        expect(events.map(brief), `dropped in frame ${at}`).toEqual(EXPECTED[name]?.events);
        expect(idsOf(events), `dropped in frame ${at}`).toEqual(idsOf(uninterrupted));
      }
    },
  );

  it("recovers the answer it missed during the outage from the channels' state", async () => {
    const capture = loadCapture("inbound-answered");
    const drop = frameIndex(capture, isEvent("DialBegin", dest("PJSIP/102")));
    const resume = frameIndex(capture, isEvent("AgentConnect")) + 1;
    const { events, server } = await dropAndResume(capture, drop, resume, {
      into: 100,
      replayAfter: "QueueStatus",
    });
    const expected = EXPECTED["inbound-answered"]?.events ?? [];
    // The resync reports what vanished first (102's phone, "answered elsewhere" as Asterisk would say),
    // then what it found (101 up): the same events, those two in the other order.
    expect(events.map(brief)).toEqual([
      ...expected.slice(0, 3),
      expected[4],
      expected[3],
      ...expected.slice(5),
    ]);
    expect(server.actions.map((action) => action.Action)).toEqual(
      expect.arrayContaining(["Login", "CoreShowChannels", "QueueStatus"]),
    );
  });

  it("still names who answered when the call was over before the snapshot was read", async () => {
    const capture = loadCapture("inbound-answered");
    const drop = frameIndex(capture, isEvent("DialBegin", dest("PJSIP/102")));
    const resume = frameIndex(capture, isEvent("AgentConnect")) + 1;
    const { events } = await dropAndResume(capture, drop, resume, { into: 100 });
    // The answer comes late (from AgentComplete at the end of the talk), but it comes, once; 102's
    // phone is ended by the resync, which found the call answered.
    expect(events.map(brief)).toEqual(EXPECTED["inbound-answered"]?.events);
  });

  it("ends a call that ended during the outage, with its recording", async () => {
    const capture = loadCapture("inbound-answered");
    const drop = frameIndex(capture, isEvent("BridgeEnter"));
    const { events } = await dropAndResume(capture, drop, capture.frames.length);
    const expected = EXPECTED["inbound-answered"]?.events ?? [];
    // The hangup causes were in the gap: the call still ends, answered, with no Q.850 code to report.
    expect(events.map(brief)).toEqual([
      ...expected.slice(0, 5),
      { type: "call.ended", cause: "completed", q850: null, agentExt: "101" },
      expected[6],
    ]);
  });

  it("ends an unanswered call that vanished during the outage as missed", async () => {
    const capture = loadCapture("inbound-tracking-abandoned");
    const drop = frameIndex(capture, isEvent("QueueCallerAbandon")) - 1;
    const { events } = await dropAndResume(capture, drop, capture.frames.length);
    // Both phones stopped ringing because the caller gave up (DialEnd CANCEL, seen before the drop);
    // QueueCallerAbandon was in the gap, so the call itself can only be called missed.
    expect(events.filter((event) => event.type === "call.ended").map(brief)).toEqual([
      { type: "call.ended", legId: "1795456786.4", cause: "abandoned", q850: null, agentExt: "101" },
      { type: "call.ended", legId: "1795456786.5", cause: "abandoned", q850: null, agentExt: "102" },
      { type: "call.ended", cause: "missed", q850: null, agentExt: null },
    ]);
    expect(events.filter((event) => event.type === "call.ringing")).toHaveLength(3);
  });

  it("infers the blind transfer it did not see from where the caller went", async () => {
    const capture = loadCapture("inbound-blindxfer");
    const drop =
      frameIndex(
        capture,
        isEvent("DialEnd", (f) => headerOf(f, "DialStatus") === "ANSWER"),
      ) + 1;
    const resume =
      frameIndex(
        capture,
        isEvent("Newstate", (f) => headerOf(f, "Channel")?.startsWith("PJSIP/103") === true),
      ) + 1;
    const { events } = await dropAndResume(capture, drop, resume, { replayAfter: "QueueStatus" });
    expect(events.map(brief)).toEqual(EXPECTED["inbound-blindxfer"]?.events);
  });
});

describe("a bridge that starts while calls are in progress", () => {
  // The PBX keeps talking while the bridge reads its snapshot; here the rest of the call follows the
  // last Getvar, so the snapshot still shows the call in progress.
  async function startMidway(capture: Capture, fromFrame: number) {
    const isLastGetvar = (action: AmiFrame) => headerOf(action, "Variable") === "CRM_RECORDING";
    return runAdapter([{ replay: [{ capture, fromFrame }], replayAfter: isLastGetvar }]);
  }

  it("announces a caller waiting in the queue with the DID read by Getvar", async () => {
    const capture = loadCapture("inbound-answered");
    const { events, server } = await startMidway(
      capture,
      frameIndex(capture, isEvent("QueueCallerJoin")) + 1,
    );
    expect(events.map(brief)).toEqual(EXPECTED["inbound-answered"]?.events);
    expect(
      server.actions.filter((action) => action.Action === "Getvar").map((action) => action.Variable),
    ).toEqual(["CRM_DID", "CRM_SOURCE", "MIXMONITOR_FILENAME", "CRM_RECORDING"]);
  });

  it("re-announces an answered call with the ids it had, so crm-api takes it as a repeat", async () => {
    const capture = loadCapture("inbound-answered");
    const { events } = await startMidway(capture, frameIndex(capture, isEvent("AgentConnect")) + 1);
    const before = new Map(trackFrames(parseFrames(capture.frames)).map((event) => [event.id, event.type]));
    expect(events.map((event) => before.get(event.id))).toEqual([
      "call.ringing",
      "call.answered",
      "call.ended",
      "recording.ready",
    ]);
    const expected = EXPECTED["inbound-answered"]?.events ?? [];
    expect(events.map(brief).slice(1)).toEqual([expected[3], ...expected.slice(5)]);
  });
});
