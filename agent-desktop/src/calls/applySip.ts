import type { Card, CallsState, SipIncoming, SipReplaced } from "./card.ts";
import { isRecentSameNumber, isSamePbxCall, mapCard, phoneKey } from "./cardMatch.ts";
import { isSoftphoneCallId } from "./softphoneCalls.ts";

/**
 * The softphone's side of the cards: an INVITE binds to the CTI card of its call or pops one of its own;
 * answering, a warm transfer landing here and hanging up move the card along.
 *
 * A consult INVITE from a colleague's desktop carries their call id (`X-Okno-Call-Id: sip:…`): its caller
 * id is the colleague's extension, not the client, so the card waits for the client from the handover
 * (or crm-api's push) instead of looking the extension up.
 */
export function applySipIncoming(state: CallsState, sip: SipIncoming, now: number): CallsState {
  const pbxCallId = sip.pbxCallId ?? null;
  const fromColleague = pbxCallId !== null && isSoftphoneCallId(pbxCallId);
  const number = phoneKey(sip.number);
  const existing =
    state.cards.find((c) => c.lineId === sip.lineId) ??
    (fromColleague
      ? undefined
      : state.cards.find((c) => c.lineId === null && isSameCallFromCti(c, pbxCallId, number, now)));
  if (existing) {
    const bound: Card = {
      ...existing,
      lineId: sip.lineId,
      pbxCallId: pbxCallId ?? existing.pbxCallId,
      sipCallId: existing.sipCallId ?? sip.sipCallId ?? null,
      displayName: existing.displayName ?? sip.displayName ?? null,
      number: existing.number ?? number,
    };
    return { cards: state.cards.map((c) => (c === existing ? bound : c)) };
  }
  const card: Card = {
    key: `sip:${sip.lineId}`,
    origin: "sip",
    callId: null,
    interactionId: null,
    pbxCallId,
    sipCallId: fromColleague ? pbxCallId : (sip.sipCallId ?? null),
    lineId: sip.lineId,
    state: "ringing",
    direction: fromColleague ? "internal" : "in",
    number: fromColleague ? null : number,
    displayName: fromColleague ? null : (sip.displayName ?? null),
    line: null,
    source: null,
    campaign: null,
    agentExt: null,
    answeredAt: null,
    isAnsweredHere: false,
    handover: fromColleague ? { fromName: sip.displayName ?? sip.number, fromExt: number, note: null } : null,
    // The colleague's client comes with the handover or crm-api's push; nobody to look up for a withheld number.
    contact: number === null && !fromColleague ? null : undefined,
    needsExtras: false,
    startedAt: now,
  };
  return { cards: [card, ...state.cards] };
}

/** The agent answered on the softphone: the card shows the talk at once, before any CTI push. */
export function applySipAnswered(state: CallsState, lineId: string, now: number): CallsState {
  return mapCard(
    state,
    (c) => c.lineId === lineId,
    (c) => ({
      ...c,
      state: c.state === "ringing" ? "answered" : c.state,
      isAnsweredHere: true,
      answeredAt: c.answeredAt ?? new Date(now).toISOString(),
    }),
  );
}

/**
 * A warm transfer landed here: the customer replaced the consult call. The consult call's card goes on
 * with the customer's line (the colleague's note and the client stay), now knowing the caller's number.
 */
export function applySipReplaced(state: CallsState, sip: SipReplaced, now: number): CallsState {
  const consult = state.cards.find((c) => c.lineId === sip.replacedLineId);
  if (!consult) {
    return applySipIncoming(state, sip, now);
  }
  const number = consult.number ?? phoneKey(sip.number);
  return mapCard(
    state,
    (c) => c === consult,
    (c) => ({
      ...c,
      lineId: sip.lineId,
      number,
      displayName: c.displayName ?? sip.displayName ?? null,
      contact: c.contact === undefined && number === null ? null : c.contact,
    }),
  );
}

/**
 * The softphone hung up. A card only the INVITE knew about, or one of a call this desktop reports itself,
 * ends now; a CTI card waits for its own `ended`.
 */
export function endSipLine(card: Card): Card {
  const isOurs = card.callId === null || card.callId === card.sipCallId;
  return isOurs ? { ...card, lineId: null, state: "ended" } : { ...card, lineId: null };
}

/** A CTI card that an INVITE belongs to: same PBX call id, or same number shortly before. */
function isSameCallFromCti(
  card: Card,
  pbxCallId: string | null,
  number: string | null,
  now: number,
): boolean {
  if (card.callId !== null && pbxCallId !== null) {
    return isSamePbxCall(pbxCallId, card.callId);
  }
  return isRecentSameNumber(card, number, now);
}
