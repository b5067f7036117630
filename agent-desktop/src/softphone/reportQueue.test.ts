import type { CallEvent } from "@okno/contracts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createReportQueue, MAX_BATCH } from "./reportQueue.ts";

const answered = (callId: string, n = 0): CallEvent => ({
  id: crypto.randomUUID(),
  callId,
  pbx: "sip",
  at: new Date(Date.UTC(2026, 2, 5, 10, 0, n)).toISOString(),
  type: "call.answered",
  agentExt: "101",
});

/** crm-api at the edge: answers each POST with the next status in line (200 once they run out). */
function fakeCrmApi(...statuses: number[]) {
  const batches: CallEvent[][] = [];
  const send = vi.fn(async (events: CallEvent[]) => {
    batches.push(events);
    const status = statuses.shift() ?? 200;
    if (status !== 200) {
      throw Object.assign(new Error(`HTTP ${status}`), { status });
    }
  });
  return { batches, send };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("createReportQueue", () => {
  it("sends a burst of one call's events as one batch, a moment later", async () => {
    const api = fakeCrmApi();
    const queue = createReportQueue({ send: api.send });
    queue.push([answered("sip:a", 1)], { waitsForColleague: false });
    queue.push([answered("sip:a", 2)], { waitsForColleague: false });
    expect(api.send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(api.batches.map((b) => b.length)).toEqual([2]);
    expect(queue.pending()).toBe(0);
  });

  it("keeps a leg report while crm-api is unreachable and delivers it when it is back", async () => {
    const api = fakeCrmApi(0, 503, 0);
    const queue = createReportQueue({ send: api.send });
    const event = answered("sip:a");
    queue.push([event], { waitsForColleague: false });
    await vi.advanceTimersByTimeAsync(200);
    expect(queue.pending()).toBe(1);
    // Backoff 1 s, 2 s, 4 s: the fourth attempt finds crm-api up again.
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(api.send).toHaveBeenCalledTimes(4);
    expect(api.batches.every((b) => b[0]!.id === event.id)).toBe(true);
    expect(queue.pending()).toBe(0);
  });

  it("drops a batch crm-api refuses as invalid, and goes on with the other calls", async () => {
    const api = fakeCrmApi(400);
    const queue = createReportQueue({ send: api.send });
    queue.push([answered("sip:bad"), answered("sip:good")], { waitsForColleague: false });
    await vi.advanceTimersByTimeAsync(200);
    expect(api.batches.map((b) => b[0]!.callId)).toEqual(["sip:bad", "sip:good"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.send).toHaveBeenCalledTimes(2);
    expect(queue.pending()).toBe(0);
  });

  it("waits for the colleague's transfer report on a joined call, but not forever", async () => {
    const joined = fakeCrmApi(403, 403);
    const queue = createReportQueue({ send: joined.send });
    queue.push([answered("sip:theirs")], { waitsForColleague: true });
    await vi.advanceTimersByTimeAsync(200 + 500 + 1000);
    expect(joined.send).toHaveBeenCalledTimes(3);
    expect(queue.pending()).toBe(0);

    const never = fakeCrmApi(...Array<number>(20).fill(403));
    const patient = createReportQueue({ send: never.send });
    patient.push([answered("sip:theirs")], { waitsForColleague: true });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(never.send).toHaveBeenCalledTimes(7);
    expect(patient.pending()).toBe(0);
    // A 403 on the agent's own call is final at once.
    const own = fakeCrmApi(403);
    const strict = createReportQueue({ send: own.send });
    strict.push([answered("sip:mine")], { waitsForColleague: false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(own.send).toHaveBeenCalledTimes(1);
  });

  it("splits a long backlog into batches crm-api accepts, and flush sends without waiting", async () => {
    const api = fakeCrmApi();
    const queue = createReportQueue({ send: api.send });
    queue.push(
      Array.from({ length: MAX_BATCH + 3 }, (_, i) => answered("sip:a", i)),
      { waitsForColleague: false },
    );
    await queue.flush();
    expect(api.batches.map((b) => b.length)).toEqual([MAX_BATCH]);
    await queue.flush();
    expect(api.batches.map((b) => b.length)).toEqual([MAX_BATCH, 3]);
  });
});
