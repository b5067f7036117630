import { describe, expect, it } from "vitest";
import {
  applyEvent,
  initialCalls,
  isSamePbxCall,
  SIP_MATCH_WINDOW_MS,
  type CallsState,
} from "./applyEvent.ts";
import { buildCardContact, buildPush } from "./testCalls.ts";

const T0 = 1_700_000_000_000;

function run(...actions: Parameters<typeof applyEvent>[1][]): CallsState {
  return actions.reduce(applyEvent, initialCalls);
}

describe("applyEvent: CTI pushes", () => {
  it("pops a card with the push's contact, source and campaign while it rings", () => {
    const state = run({ type: "call", call: buildPush(), now: T0 });
    expect(state.cards).toHaveLength(1);
    const card = state.cards[0]!;
    expect(card).toMatchObject({
      key: "ast1:1700000000.12",
      origin: "cti",
      state: "ringing",
      number: "+79123456789",
      source: "Яндекс.Директ",
      campaign: "Контекст — кухни",
      needsExtras: false,
    });
    expect(card.contact).toMatchObject({ fullName: "Иванова Мария Петровна" });
  });

  it("keeps the card's contact when a later push leaves it out", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      {
        type: "call",
        call: buildPush({ state: "answered", answeredAt: "2026-03-05T10:00:05+03:00", card: undefined }),
        now: T0 + 5000,
      },
    );
    expect(state.cards[0]).toMatchObject({ state: "answered", answeredAt: "2026-03-05T10:00:05+03:00" });
    expect(state.cards[0]!.contact).toMatchObject({ fullName: "Иванова Мария Петровна" });
  });

  it("closes the card when another agent answers", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      { type: "call", call: buildPush({ isMine: false, card: undefined }), now: T0 + 3000 },
    );
    expect(state.cards).toEqual([]);
  });

  it("never moves an ended card back to ringing when pushes arrive out of order", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      { type: "call", call: buildPush({ state: "ended", card: undefined }), now: T0 + 1 },
      { type: "call", call: buildPush({ state: "answered", card: undefined }), now: T0 + 2 },
    );
    expect(state.cards[0]!.state).toBe("ended");
  });

  it("pops nothing for an update about a call it never showed", () => {
    expect(
      run({ type: "call", call: buildPush({ state: "ended", card: undefined }), now: T0 }).cards,
    ).toEqual([]);
  });

  it("takes the called number as the other party of an outgoing call", () => {
    const state = run({
      type: "call",
      call: buildPush({ direction: "out", from: "101", to: "+74951234567" }),
      now: T0,
    });
    expect(state.cards[0]!.number).toBe("+74951234567");
  });
});

describe("applyEvent: the SIP path and the CTI path make one card", () => {
  it("binds the softphone line to the CTI card of the same PBX call", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      {
        type: "sip.incoming",
        lineId: "L1",
        number: "89123456789",
        pbxCallId: "1700000000.12",
        now: T0 + 100,
      },
    );
    expect(state.cards).toHaveLength(1);
    expect(state.cards[0]).toMatchObject({ origin: "cti", lineId: "L1", pbxCallId: "1700000000.12" });
  });

  it("binds by the caller's number within the window when the INVITE has no call id", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      { type: "sip.incoming", lineId: "L1", number: "8 (912) 345-67-89", now: T0 + SIP_MATCH_WINDOW_MS },
    );
    expect(state.cards).toHaveLength(1);
    expect(state.cards[0]!.lineId).toBe("L1");
  });

  it("pops a separate card for the same number after the window", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", now: T0 + SIP_MATCH_WINDOW_MS + 1 },
    );
    expect(state.cards).toHaveLength(2);
  });

  it("pops a card from the INVITE alone and waits for the lookup", () => {
    const state = run({
      type: "sip.incoming",
      lineId: "L1",
      number: "+79123456789",
      displayName: "Мария",
      now: T0,
    });
    expect(state.cards[0]).toMatchObject({
      key: "sip:L1",
      origin: "sip",
      state: "ringing",
      number: "+79123456789",
      displayName: "Мария",
      contact: undefined,
    });
  });

  it("merges a later CTI push into the card the INVITE popped, by PBX call id", () => {
    const state = run(
      { type: "sip.incoming", lineId: "L1", number: "+79990000000", pbxCallId: "1700000000.12", now: T0 },
      { type: "call", call: buildPush(), now: T0 + 40_000 },
    );
    expect(state.cards).toHaveLength(1);
    expect(state.cards[0]).toMatchObject({
      key: "sip:L1",
      callId: "ast1:1700000000.12",
      lineId: "L1",
      source: "Яндекс.Директ",
    });
    expect(state.cards[0]!.contact).toMatchObject({ fullName: "Иванова Мария Петровна" });
  });

  it("merges a later CTI push into the SIP card by number, and a late lookup does not overwrite it", () => {
    const state = run(
      { type: "sip.incoming", lineId: "L1", number: "89123456789", now: T0 },
      { type: "call", call: buildPush(), now: T0 + 200 },
      { type: "contact.loaded", key: "sip:L1", contact: null, needsExtras: false },
    );
    expect(state.cards).toHaveLength(1);
    expect(state.cards[0]!.contact).toMatchObject({ fullName: "Иванова Мария Петровна", hidden: false });
  });

  it("does not merge a push of another PBX call into a SIP card that has a call id", () => {
    const state = run(
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", pbxCallId: "1700000000.99", now: T0 },
      { type: "call", call: buildPush(), now: T0 + 100 },
    );
    expect(state.cards).toHaveLength(2);
  });

  it("ends a SIP-only card when the line hangs up, but leaves a CTI card to its own ended push", () => {
    const sipOnly = run(
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", now: T0 },
      { type: "sip.ended", lineId: "L1" },
    );
    expect(sipOnly.cards[0]).toMatchObject({ state: "ended", lineId: null });
    const cti = run(
      { type: "call", call: buildPush(), now: T0 },
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", now: T0 + 1 },
      { type: "sip.ended", lineId: "L1" },
    );
    expect(cti.cards[0]).toMatchObject({ state: "ringing", lineId: null });
  });
});

describe("applyEvent: details of a SIP-popped card", () => {
  it("fills the extras of a looked-up contact for that contact only", () => {
    const contact = buildCardContact({ deals: [], tasks: [], interactions: [] });
    const extras = { deals: buildCardContact().deals, tasks: [], interactions: [] };
    const state = run(
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", now: T0 },
      { type: "contact.loaded", key: "sip:L1", contact, needsExtras: true },
      { type: "extras.loaded", key: "sip:L1", contactId: "someone-else", extras },
    );
    expect(state.cards[0]).toMatchObject({ needsExtras: true });
    const filled = applyEvent(state, { type: "extras.loaded", key: "sip:L1", contactId: contact.id, extras });
    expect(filled.cards[0]).toMatchObject({
      needsExtras: false,
      contact: { deals: [{ title: "Кухня на заказ" }] },
    });
  });

  it("forgets a card the agent dismissed", () => {
    const state = run(
      { type: "call", call: buildPush(), now: T0 },
      { type: "dismiss", key: "ast1:1700000000.12" },
    );
    expect(state.cards).toEqual([]);
  });
});

describe("isSamePbxCall", () => {
  it("matches the bare PBX id against crm-api's connection-prefixed call id", () => {
    expect(isSamePbxCall("1700000000.12", "ast1:1700000000.12")).toBe(true);
    expect(isSamePbxCall("1700000000.1", "ast1:1700000000.12")).toBe(false);
    expect(isSamePbxCall("ast1:1700000000.12", "ast1:1700000000.12")).toBe(true);
  });
});
