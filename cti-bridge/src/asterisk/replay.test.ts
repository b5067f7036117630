import { CallEvent } from "@okno/contracts";
import { describe, expect, it } from "vitest";
import { listCaptures, loadCapture, type Capture } from "./testing/captures.ts";
import { EXPECTED } from "./testing/expectedEvents.ts";
import { brief, PBX, runAdapter } from "./testing/replay.ts";

/*
 * Every real capture in ../shared/fixtures/asterisk, replayed over TCP by the fake AMI server into the
 * adapter (client + tracker), gives these call events, in this order. The fixtures README says what
 * happened in each call.
 */

function expectScenario(name: string, events: CallEvent[]): void {
  const expected = EXPECTED[name];
  if (!expected) {
    throw new Error(`no expectation written for capture ${name}`);
  }
  const mine = events.filter((event) => event.callId === `${PBX}:${expected.linkedid}`);
  expect(mine.map(brief)).toEqual(expected.events);
}

/** Valid per the contract, each id once, and each call's events in strictly increasing time. */
function expectWellFormed(events: CallEvent[]): void {
  for (const event of events) {
    expect(CallEvent.safeParse(event).success).toBe(true);
  }
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  for (const callId of new Set(events.map((event) => event.callId))) {
    const times = events.filter((event) => event.callId === callId).map((event) => Date.parse(event.at));
    expect(times.every((time, i) => i === 0 || time > (times[i - 1] ?? 0))).toBe(true);
  }
}

describe("replaying the real Asterisk 22 captures over TCP", () => {
  it.each(listCaptures())("maps %s to its call events", async (name) => {
    const { events, stats } = await runAdapter([{ replay: [{ capture: loadCapture(name) }] }]);
    expectScenario(name, events);
    expect(events.every((event) => event.callId === `${PBX}:${EXPECTED[name]?.linkedid}`)).toBe(true);
    expectWellFormed(events);
    expect(stats).toMatchObject({ garbageLines: 0, malformedFrames: 0, invalidEvents: 0, activeCalls: 0 });
  });

  it.each(listCaptures().flatMap((name) => [1, 2, 3].map((seed) => [name, seed] as const)))(
    "gives the same events for %s cut into random chunks (seed %i)",
    async (name, seed) => {
      const capture = loadCapture(name);
      const { events } = await runAdapter([{ replay: [{ capture }], chunks: { min: 1, max: 700, seed } }]);
      expectScenario(name, events);
    },
  );

  it("keeps interleaved calls apart: all captures at once, staggered", async () => {
    const sources = listCaptures().map((name, i) => ({
      capture: loadCapture(name),
      startMs: i * 7,
      gapMs: 1,
    }));
    const { events, stats } = await runAdapter([
      { replay: sources, chunks: { min: 50, max: 3000, seed: 9 } },
    ]);
    for (const name of listCaptures()) {
      expectScenario(name, events);
    }
    expectWellFormed(events);
    expect(stats.activeCalls).toBe(0);
  });

  it("counts and skips malformed input, and still maps the call", async () => {
    const original = loadCapture("inbound-answered");
    const frames = [...original.frames];
    frames.splice(40, 0, Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a])); // binary noise between frames
    frames.splice(60, 0, Buffer.from("Foo: bar\r\nBaz: 1\r\n\r\n")); // neither Event nor Response
    frames.splice(80, 0, Buffer.from("Event: Newchannel\r\nChannel: PJSIP/101-0000ffff\r\n\r\n")); // no Uniqueid
    frames.splice(90, 0, Buffer.from("Event: SomethingNew\r\nFoo: 1\r\n\r\n")); // unknown: passed over
    const capture = { ...original, frames };
    const { events, stats } = await runAdapter(
      [{ replay: [{ capture }], chunks: { min: 1, max: 400, seed: 4 } }],
      {
        isDone: (s) => s.appliedEvents >= frames.length - 2,
      },
    );
    expectScenario("inbound-answered", events);
    expect(stats).toMatchObject({
      garbageLines: 1,
      malformedFrames: 1,
      invalidEvents: 1,
      appliedEvents: frames.length - 2,
    });
  });

  it("paces frames in real time when asked, without changing the outcome", async () => {
    const capture: Capture = loadCapture("outbound-from-agent");
    const { events } = await runAdapter([{ replay: [{ capture, gapMs: 1 }], isRealTime: true }]);
    expectScenario("outbound-from-agent", events);
  });
});
