import type { CallEvent } from "@okno/contracts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLegReporter, GRACE_MS, type LegReporterOptions } from "./legReporter.ts";
import { makeLine, type Line } from "./lines.ts";
import type { ReportOptions } from "./reportQueue.ts";

function incoming(id: string, number: string, pbxCallId?: string): Line {
  return makeLine({ id, direction: "in", number, displayName: undefined, pbxCallId, now: 0 });
}

/** A reporter for `extension` whose reports land in `sent`, as the queue would take them. */
function reporterFor(extension: string, overrides: Partial<LegReporterOptions> = {}) {
  const sent: { events: CallEvent[]; options: ReportOptions }[] = [];
  const reporter = createLegReporter({
    extension,
    enqueue: (events, options) => sent.push({ events: [...events], options }),
    isBridged: () => false,
    ...overrides,
  });
  const events = () => sent.flatMap((s) => s.events);
  const types = () => events().map((e) => `${e.type}${e.legId ? "" : " (call)"}`);
  return { reporter, sent, events, types };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("createLegReporter", () => {
  it("reports a call no bridge claimed: ringing and answer after the grace time, then the end of the call", () => {
    const a = reporterFor("101");
    const callId = a.reporter.ringing(incoming("line-1", "8 (916) 123-45-67"));
    expect(callId).toMatch(/^sip:[0-9a-f-]{36}$/);
    a.reporter.answered("line-1");
    expect(a.sent).toEqual([]);
    vi.advanceTimersByTime(GRACE_MS);
    expect(a.events()[0]).toMatchObject({
      type: "call.ringing",
      callId,
      pbx: "sip",
      direction: "in",
      from: "+79161234567",
      to: "101",
      agentExt: "101",
    });
    a.reporter.ended(incoming("line-1", "+79161234567"));
    expect(a.types()).toEqual(["call.ringing", "call.answered", "call.ended", "call.ended (call)"]);
    expect(a.events().every((e) => e.callId === callId)).toBe(true);
    expect(a.events().at(-2)).toMatchObject({ cause: "completed" });
    expect(new Set(a.events().map((e) => e.id)).size).toBe(4);
  });

  it("stays silent about a call the CTI bridge claimed during the grace time", () => {
    const a = reporterFor("101", { isBridged: () => true });
    a.reporter.ringing(incoming("line-1", "+79161234567"));
    a.reporter.answered("line-1");
    vi.advanceTimersByTime(GRACE_MS);
    a.reporter.ended(incoming("line-1", "+79161234567"));
    expect(a.sent).toEqual([]);
  });

  it("reports nothing for a bridge's call id, a withheld number or an internal call", () => {
    const a = reporterFor("101");
    expect(a.reporter.ringing(incoming("line-1", "+79161234567", "1700000000.12"))).toBeUndefined();
    expect(a.reporter.ringing(incoming("line-2", "anonymous"))).toBeUndefined();
    expect(a.reporter.ringing(incoming("line-3", "103"))).toBeUndefined();
    vi.advanceTimersByTime(GRACE_MS);
    expect(a.sent).toEqual([]);
  });

  it("joins the colleague's call by X-Okno-Call-Id, holding its legs back until the customer lands here", () => {
    const a = reporterFor("101");
    const callId = a.reporter.ringing(incoming("line-1", "+79161234567"))!;
    a.reporter.answered("line-1");
    vi.advanceTimersByTime(GRACE_MS);

    // A consults B: the consult INVITE carries A's call id.
    const b = reporterFor("102");
    expect(b.reporter.ringing(incoming("line-7", "101", callId))).toBe(callId);
    b.reporter.answered("line-7");
    vi.advanceTimersByTime(60_000);
    expect(b.sent).toEqual([]);

    // A completes the transfer: A's leg ends alone, the call goes on.
    a.reporter.transferred("line-1", "attended", "102");
    a.reporter.ended(incoming("line-1", "+79161234567"));
    expect(a.types().slice(2)).toEqual(["call.transferred", "call.ended"]);
    expect(a.events()[2]).toMatchObject({ kind: "attended", fromExt: "101", to: "102" });

    // The customer replaces the consult call on B: B's leg goes out, waiting for A's report if need be.
    b.reporter.replaced("line-8", "line-7");
    expect(b.sent).toHaveLength(1);
    expect(b.sent[0]!.options).toEqual({ waitsForColleague: true });
    expect(b.events()[0]).toMatchObject({ callId, direction: "internal", from: "101", to: "102" });
    b.reporter.ended(incoming("line-8", "+79161234567"));
    expect(b.types()).toEqual(["call.ringing", "call.answered", "call.ended", "call.ended (call)"]);
    expect(
      new Set(
        b
          .events()
          .map((e) => e.legId)
          .filter(Boolean),
      ).size,
    ).toBe(1);
    expect(b.events()[0]!.legId).not.toBe(a.events()[0]!.legId);
  });

  it("forgets a consult call that never became ours (declined, or the colleague went back to the client)", () => {
    const b = reporterFor("102");
    b.reporter.ringing(incoming("line-1", "101", "sip:0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e"));
    b.reporter.answered("line-1");
    b.reporter.ended(incoming("line-1", "101"));
    vi.advanceTimersByTime(60_000);
    expect(b.sent).toEqual([]);
  });

  it("ends only its own leg when the PBX hangs up while a transfer is still in flight", () => {
    const a = reporterFor("101");
    a.reporter.ringing(incoming("line-1", "+79161234567"));
    a.reporter.answered("line-1");
    vi.advanceTimersByTime(GRACE_MS);
    a.reporter.ended({ ...incoming("line-1", "+79161234567"), transfer: "blind" });
    expect(a.types()).toEqual(["call.ringing", "call.answered", "call.ended"]);
  });
});
