import { describe, expect, it } from "vitest";
import { applyEvent, initialCalls, type CallAction, type CallsState } from "./applyEvent.ts";
import { isClaimedByBridge } from "./softphoneCalls.ts";
import { buildCardContact, buildPush } from "./testCalls.ts";

const T0 = 1_700_000_000_000;
const CALL_ID = "sip:0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e";
const INTERACTION_ID = "7d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f";

function run(...actions: CallAction[]): CallsState {
  return actions.reduce(applyEvent, initialCalls);
}

const handover = (note: string): CallAction => ({
  type: "handover",
  handover: {
    callId: CALL_ID,
    interactionId: INTERACTION_ID,
    from: {
      userId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      fullName: "Смирнова Анна Павловна",
      extension: "101",
    },
    note,
    card: { contact: buildCardContact() },
    at: "2026-03-05T10:01:00+03:00",
  },
});

/** Agent A's card for the customer's call, which A's softphone reports as CALL_ID. */
const aRinging: CallAction = {
  type: "sip.incoming",
  lineId: "L1",
  number: "+79123456789",
  sipCallId: CALL_ID,
  now: T0,
};

/** Agent B's card for A's consult call, tagged with A's call id. */
const bConsult: CallAction = {
  type: "sip.incoming",
  lineId: "L7",
  number: "101",
  displayName: "Смирнова Анна Павловна",
  pbxCallId: CALL_ID,
  now: T0 + 20_000,
};

describe("applyEvent: answering on the softphone", () => {
  it("shows the talk as soon as the softphone answers, before any push", () => {
    const state = run(aRinging, { type: "sip.answered", lineId: "L1", now: T0 + 4000 });
    expect(state.cards[0]).toMatchObject({
      state: "answered",
      isAnsweredHere: true,
      answeredAt: new Date(T0 + 4000).toISOString(),
    });
  });

  it("takes crm-api's push for the call it reported by that call id", () => {
    const push = buildPush({ callId: CALL_ID, from: "+79123456789", state: "answered", source: null });
    const state = run(aRinging, { type: "call", call: push, now: T0 + 60_000 });
    expect(state.cards).toHaveLength(1);
    expect(state.cards[0]).toMatchObject({ key: "sip:L1", callId: CALL_ID, interactionId: INTERACTION_ID });
    expect(isClaimedByBridge(state.cards, CALL_ID)).toBe(false);
  });

  it("lets a bridge's push claim the card, so the desktop does not report the call twice", () => {
    const state = run(aRinging, { type: "call", call: buildPush(), now: T0 + 300 });
    expect(state.cards).toHaveLength(1);
    expect(isClaimedByBridge(state.cards, CALL_ID)).toBe(true);
  });
});

describe("applyEvent: warm transfer, the colleague's side", () => {
  it("pops the consult call as the colleague's client, not as a call from extension 101", () => {
    const card = run(bConsult).cards[0]!;
    expect(card).toMatchObject({
      number: null,
      direction: "internal",
      sipCallId: CALL_ID,
      contact: undefined,
      handover: { fromName: "Смирнова Анна Павловна", fromExt: "101", note: null },
    });
  });

  it("puts the colleague's note and the client on the card of that call", () => {
    // B also has the client's earlier call on screen, from the same number: not the one handed over.
    const earlier: CallAction = { ...aRinging, lineId: "L2", sipCallId: "sip:earlier", now: T0 };
    const state = run(earlier, bConsult, handover("Хочет скидку на кухню, замер уже согласован"));
    const [b, other] = state.cards;
    expect(b).toMatchObject({
      key: "sip:L7",
      handover: { note: "Хочет скидку на кухню, замер уже согласован" },
      contact: { fullName: "Иванова Мария Петровна" },
      interactionId: null,
    });
    // The handover is about the call, never a number.
    expect(other!.handover).toBeNull();
  });

  it("keeps the card, the note and the client when the customer replaces the consult call", () => {
    const state = run(
      bConsult,
      handover("VIP"),
      { type: "sip.answered", lineId: "L7", now: T0 + 25_000 },
      {
        type: "sip.replaced",
        lineId: "L8",
        replacedLineId: "L7",
        number: "89123456789",
        displayName: "Клиент",
        now: T0 + 40_000,
      },
    );
    expect(state.cards).toHaveLength(1);
    expect(state.cards[0]).toMatchObject({
      lineId: "L8",
      number: "+79123456789",
      state: "answered",
      handover: { note: "VIP" },
      contact: { fullName: "Иванова Мария Петровна" },
    });
    // The consult line's own end (its BYE) no longer concerns the card.
    expect(applyEvent(state, { type: "sip.ended", lineId: "L7" })).toBe(state);
  });
});

describe("applyEvent: warm transfer, the transferring agent's side", () => {
  it("closes A's card into the wrap-up when the call goes on to the colleague", () => {
    const answeredPush = buildPush({
      callId: CALL_ID,
      state: "answered",
      answeredAt: "2026-03-05T10:00:04+03:00",
    });
    const talking = run(
      aRinging,
      { type: "sip.answered", lineId: "L1", now: T0 + 4000 },
      { type: "call", call: answeredPush, now: T0 + 5000 },
    );
    const handedOn = applyEvent(talking, {
      type: "call",
      call: buildPush({
        callId: CALL_ID,
        state: "answered",
        agentExt: "102",
        isMine: false,
        card: undefined,
      }),
      now: T0 + 60_000,
    });
    expect(handedOn.cards[0]).toMatchObject({
      state: "ended",
      interactionId: INTERACTION_ID,
      agentExt: "102",
    });
    // The softphone's hangup of the transferred line ends it too, without a bridge to say so.
    const hungUp = applyEvent(talking, { type: "sip.ended", lineId: "L1" });
    expect(hungUp.cards[0]).toMatchObject({ state: "ended", lineId: null });
  });
});
