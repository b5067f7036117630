import type { CallEvent } from "@okno/contracts";
import { describe, expect, it } from "vitest";
import {
  agentOf,
  applyCallEvent,
  resultOf,
  ringingExts,
  stateOf,
  talkSecOf,
  waitSecOf,
  type Call,
} from "./callState.ts";

let n = 0;
const T0 = Date.parse("2026-11-23T10:00:00.000Z");
/** An event of call "ast1:1" `sec` seconds after T0. */
function ev<T extends CallEvent["type"]>(
  type: T,
  sec: number,
  fields: Omit<Extract<CallEvent, { type: T }>, "id" | "callId" | "at" | "pbx" | "type">,
): CallEvent {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    callId: "ast1:1",
    pbx: "ast1",
    at: new Date(T0 + sec * 1000).toISOString(),
    type,
    ...fields,
  } as CallEvent;
}

const merge = (events: CallEvent[]) => events.reduce<Call | null>(applyCallEvent, null)!;

/** A queue call: rings 101 and 102, 102 answers, holds, resumes, hangs up; 101's leg stops ringing. */
const queueCall = () => [
  ev("call.ringing", 0, {
    direction: "in",
    from: "+79161234567",
    to: "+74951234567",
    line: "+74957654321",
    queue: "sales",
  }),
  ev("call.ringing", 2, {
    legId: "L1",
    direction: "in",
    from: "+79161234567",
    to: "101",
    agentExt: "101",
    queue: "sales",
  }),
  ev("call.ringing", 2, {
    legId: "L2",
    direction: "in",
    from: "+79161234567",
    to: "102",
    agentExt: "102",
    queue: "sales",
  }),
  ev("call.answered", 9, { legId: "L2", agentExt: "102" }),
  ev("call.ended", 9, { legId: "L1", cause: "missed", agentExt: "101" }),
  ev("call.held", 30, { agentExt: "102" }),
  ev("call.resumed", 45, { agentExt: "102" }),
  ev("call.ended", 69, { cause: "completed", q850: 16 }),
];

/** Every ordering of a list, for lists of up to 8 items (40,320 orderings). */
function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items;
    return;
  }
  for (let i = 0; i < items.length; i++) {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) {
      yield [items[i]!, ...rest];
    }
  }
}

describe("call state", () => {
  it("follows a queue call from ringing to its end", () => {
    const events = queueCall();
    const steps = events.map((_, i) => merge(events.slice(0, i + 1)));
    expect(steps.map(stateOf)).toEqual([
      "ringing",
      "ringing",
      "ringing",
      "answered",
      "answered",
      "held",
      "answered",
      "ended",
    ]);
    expect(ringingExts(steps[2]!)).toEqual(["101", "102"]);
    const call = steps.at(-1)!;
    expect(call).toMatchObject({
      direction: "in",
      from: "+79161234567",
      line: "+74957654321",
      queue: "sales",
    });
    expect(agentOf(call)).toBe("102");
    expect(resultOf(call)).toBe("completed");
    expect(waitSecOf(call)).toBe(9);
    expect(talkSecOf(call)).toBe(60);
    expect(call.legs.L1).toMatchObject({ agentExt: "101", cause: "missed" });
  });

  it("gives the same call whatever order the events arrive in", () => {
    const events = queueCall();
    const expected = merge(events);
    let orders = 0;
    for (const order of permutations(events)) {
      orders += 1;
      expect(merge(order)).toEqual(expected);
    }
    expect(orders).toBe(40_320);
  });

  it("ignores an event applied twice", () => {
    const events = queueCall();
    const transfer = ev("call.transferred", 50, { kind: "blind", fromExt: "102", to: "201" });
    expect(merge([...events, transfer, transfer, events[3]!, events[0]!])).toEqual(
      merge([...events, transfer]),
    );
  });

  it("keeps the call answered when a late ringing arrives", () => {
    const [ringing, , , answered] = queueCall();
    const call = merge([answered!, ringing!]);
    expect(stateOf(call)).toBe("answered");
    expect(call.from).toBe("+79161234567");
    expect(waitSecOf(call)).toBe(9);
  });

  it("calls an unanswered end missed, and keeps abandoned and busy as the PBX said", () => {
    const ring = ev("call.ringing", 0, { direction: "in", from: "+79161234567", to: "+74951234567" });
    expect(resultOf(merge([ring, ev("call.ended", 20, { cause: "completed" })]))).toBe("missed");
    expect(resultOf(merge([ring, ev("call.ended", 20, { cause: "abandoned" })]))).toBe("abandoned");
    expect(resultOf(merge([ring, ev("call.ended", 3, { cause: "busy" })]))).toBe("busy");
    expect(waitSecOf(merge([ring, ev("call.ended", 20, { cause: "abandoned" })]))).toBe(20);
    expect(resultOf(merge([ring]))).toBeNull();
  });

  it("ends only the leg when call.ended names one, and the call when it names none", () => {
    const [ringing, ring101, ring102] = queueCall();
    const legEnded = ev("call.ended", 5, { legId: "L1", cause: "missed", agentExt: "101" });
    const call = merge([ringing!, ring101!, ring102!, legEnded]);
    expect(stateOf(call)).toBe("ringing");
    expect(call.endedAt).toBeNull();
    expect(resultOf(call)).toBeNull();
    expect(ringingExts(call)).toEqual(["102"]);
    expect(call.legs.L1).toMatchObject({ endedAt: legEnded.at, cause: "missed" });

    const ended = merge([
      ringing!,
      ring101!,
      ring102!,
      legEnded,
      ev("call.ended", 12, { cause: "abandoned" }),
    ]);
    expect(stateOf(ended)).toBe("ended");
    expect(resultOf(ended)).toBe("abandoned");
    expect(ended.legs.L2?.endedAt ?? null).toBeNull();
  });

  it("puts the agent who took a transfer on the call", () => {
    const events = [
      ev("call.ringing", 0, { direction: "in", from: "+79161234567", to: "101", agentExt: "101" }),
      ev("call.answered", 5, { agentExt: "101" }),
      ev("call.transferred", 20, { kind: "attended", fromExt: "101", to: "201" }),
      ev("call.answered", 25, { agentExt: "201" }),
    ];
    const call = merge(events);
    expect(agentOf(call)).toBe("201");
    expect(call.firstAnswer?.ext).toBe("101");
    expect(call.transfers).toMatchObject([{ kind: "attended", fromExt: "101", to: "201" }]);
  });
});
