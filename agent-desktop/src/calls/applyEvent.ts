import type { CallCardContact, CallHandoverPush, CallPush } from "@okno/contracts";
import { applyHandover } from "./applyHandover.ts";
import { applySipAnswered, applySipIncoming, applySipReplaced, endSipLine } from "./applySip.ts";
import type { Card, CallsState, SipIncoming, SipReplaced } from "./card.ts";
import { isRecentSameNumber, isSamePbxCall, mapCard, phoneKey } from "./cardMatch.ts";

export type { Card, CardHandover, CardOrigin, CallsState, SipIncoming, SipReplaced } from "./card.ts";
export { isSamePbxCall, phoneKey, SIP_MATCH_WINDOW_MS } from "./cardMatch.ts";

/**
 * The calls on the agent's screen, one card per call, whichever path told us first.
 *
 * Two paths pop a card: the CTI `call` push from crm-api, and the softphone's SIP INVITE (a PBX without
 * the bridge sends no push). They must never show two cards for one call, so each path first looks for
 * the other's card: by the PBX call id (`X-Okno-Call-Id`), else by the same caller number within
 * SIP_MATCH_WINDOW_MS. A call the desktop reports itself comes back as a push under its own `sip:` id.
 *
 * ```
 *  CTI push ───────────────┐                        ┌──► isMine=false, never answered here ──► gone
 *                          ├──► card: ringing ──► answered ⇄ held ──► ended ──► dismissed by the agent
 *  SIP INVITE ─► lookup ───┘                        └──► isMine=false after talking (transferred) ──► ended
 * ```
 */

type Extras = Pick<Extract<CallCardContact, { hidden: false }>, "deals" | "tasks" | "interactions">;

export type CallAction =
  | { type: "call"; call: CallPush; now: number }
  | ({ type: "sip.incoming"; now: number } & SipIncoming)
  | { type: "sip.answered"; lineId: string; now: number }
  | ({ type: "sip.replaced"; now: number } & SipReplaced)
  | { type: "sip.ended"; lineId: string }
  | { type: "handover"; handover: CallHandoverPush }
  | { type: "contact.loaded"; key: string; contact: CallCardContact | null; needsExtras: boolean }
  | { type: "extras.loaded"; key: string; contactId: string; extras: Extras }
  | { type: "contact.replaced"; key: string; contact: CallCardContact }
  | { type: "dismiss"; key: string };

export const initialCalls: CallsState = { cards: [] };

/** The reducer: pure, so every path through it is a unit test. */
export function applyEvent(state: CallsState, action: CallAction): CallsState {
  switch (action.type) {
    case "call":
      return applyPush(state, action.call, action.now);
    case "sip.incoming":
      return applySipIncoming(state, action, action.now);
    case "sip.answered":
      return applySipAnswered(state, action.lineId, action.now);
    case "sip.replaced":
      return applySipReplaced(state, action, action.now);
    case "sip.ended":
      return mapCard(state, (c) => c.lineId === action.lineId, endSipLine);
    case "handover":
      return applyHandover(state, action.handover);
    case "contact.loaded":
      // A lookup that lost the race to a CTI push must not replace the richer card the push brought.
      return mapCard(
        state,
        (c) => c.key === action.key && c.contact === undefined,
        (c) => ({ ...c, contact: action.contact, needsExtras: action.needsExtras }),
      );
    case "extras.loaded":
      return mapCard(
        state,
        (c) => c.key === action.key && c.needsExtras && contactIdOf(c) === action.contactId,
        (c) => ({
          ...c,
          contact: { ...(c.contact as CallCardContact & { hidden: false }), ...action.extras },
          needsExtras: false,
        }),
      );
    case "contact.replaced":
      return mapCard(
        state,
        (c) => c.key === action.key,
        (c) => ({ ...c, contact: action.contact }),
      );
    case "dismiss":
      return { cards: state.cards.filter((c) => c.key !== action.key) };
  }
}

function applyPush(state: CallsState, call: CallPush, now: number): CallsState {
  const number = outsideNumber(call);
  const existing =
    state.cards.find((c) => c.callId === call.callId) ??
    state.cards.find(
      (c) =>
        c.callId === null && (c.sipCallId === call.callId || isSameCallFromSip(c, call.callId, number, now)),
    );
  if (!call.isMine) {
    if (existing?.isAnsweredHere) {
      // The call went on to a colleague (a transfer): this agent's part is over, the card stays for the wrap-up.
      return replaceCard(state, existing, { ...mergePush(existing, call, number), state: "ended" });
    }
    // Another agent answered, or the call stopped ringing us: the card goes away.
    return existing ? { cards: state.cards.filter((c) => c !== existing) } : state;
  }
  if (!existing) {
    // An update for a call we never showed (its first push was lost, or it already ended) pops nothing.
    if (call.state === "ended" || !call.card) {
      return state;
    }
    return { cards: [cardFromPush(call, number, now), ...state.cards] };
  }
  return replaceCard(state, existing, mergePush(existing, call, number));
}

function mergePush(existing: Card, call: CallPush, number: string | null): Card {
  return {
    ...existing,
    callId: call.callId,
    interactionId: call.interactionId,
    state: existing.state === "ended" ? "ended" : call.state,
    direction: call.direction ?? existing.direction,
    number: number ?? existing.number,
    line: call.line ?? existing.line,
    source: call.source ?? existing.source,
    campaign: call.campaign ?? existing.campaign,
    agentExt: call.agentExt ?? existing.agentExt,
    answeredAt: call.answeredAt ?? existing.answeredAt,
    isAnsweredHere: existing.isAnsweredHere || (call.isMine && isTalking(call)),
    // Later pushes leave the card out: keep what we have.
    ...(call.card ? { contact: call.card.contact, needsExtras: false } : {}),
  };
}

const isTalking = (call: CallPush) => call.state === "answered" || call.state === "held";

function replaceCard(state: CallsState, card: Card, next: Card): CallsState {
  return { cards: state.cards.map((c) => (c === card ? next : c)) };
}

function cardFromPush(call: CallPush, number: string | null, now: number): Card {
  return {
    key: call.callId,
    origin: "cti",
    callId: call.callId,
    interactionId: call.interactionId,
    pbxCallId: null,
    sipCallId: null,
    lineId: null,
    state: call.state,
    direction: call.direction,
    number,
    displayName: null,
    line: call.line,
    source: call.source,
    campaign: call.campaign,
    agentExt: call.agentExt,
    answeredAt: call.answeredAt,
    isAnsweredHere: isTalking(call),
    handover: null,
    contact: call.card?.contact ?? null,
    needsExtras: false,
    startedAt: now,
  };
}

/** A SIP-popped card that a CTI push is about: same PBX call id, or same number shortly before. */
function isSameCallFromSip(card: Card, callId: string, number: string | null, now: number): boolean {
  if (card.pbxCallId !== null) {
    return isSamePbxCall(card.pbxCallId, callId);
  }
  return isRecentSameNumber(card, number, now);
}

function outsideNumber(call: CallPush): string | null {
  return phoneKey(call.direction === "out" ? call.to : call.from);
}

export function contactIdOf(card: Card): string | null {
  return card.contact && !card.contact.hidden ? card.contact.id : null;
}
