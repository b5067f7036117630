import {
  normalizePhone,
  type CallCardContact,
  type CallDirection,
  type CallPush,
  type CallState,
} from "@okno/contracts";

/**
 * The calls on the agent's screen, one card per call, whichever path told us first.
 *
 * Two paths pop a card: the CTI `call` push from crm-api, and the softphone's SIP INVITE (a PBX without
 * the bridge sends no push). They must never show two cards for one call, so each path first looks for
 * the other's card: by the PBX call id (`X-Okno-Call-Id`), else by the same caller number within
 * SIP_MATCH_WINDOW_MS.
 *
 * ```
 *  CTI push ───────────────┐                        ┌──► isMine=false (someone else took it) ──► gone
 *                          ├──► card: ringing ──► answered ⇄ held ──► ended ──► dismissed by the agent
 *  SIP INVITE ─► lookup ───┘
 * ```
 */
export const SIP_MATCH_WINDOW_MS = 30_000;

export type CardOrigin = "cti" | "sip";

export interface Card {
  /** Stable for the card's life: the CTI callId, or `sip:<lineId>` for a card the INVITE popped. */
  key: string;
  origin: CardOrigin;
  callId: string | null;
  interactionId: string | null;
  pbxCallId: string | null;
  /** The softphone line ringing or talking for this call, when the softphone has one. */
  lineId: string | null;
  state: CallState;
  direction: CallDirection | null;
  /** The other party: E.164 for a phone, the extension for an internal call, null when withheld. */
  number: string | null;
  /** SIP display name, when the INVITE carried one. */
  displayName: string | null;
  line: string | null;
  source: string | null;
  campaign: string | null;
  agentExt: string | null;
  answeredAt: string | null;
  /** `undefined`: not known yet (a lookup is under way); `null`: nobody to show. */
  contact: CallCardContact | null | undefined;
  /** The contact came from a lookup: its open deals, tasks and last interactions are still to fetch. */
  needsExtras: boolean;
  /** Epoch ms when the card appeared (the window for matching the other path by number). */
  startedAt: number;
}

export interface CallsState {
  /** Newest first. */
  cards: Card[];
}

export interface SipIncoming {
  lineId: string;
  number: string;
  displayName?: string | null;
  pbxCallId?: string | null;
}

type Extras = Pick<Extract<CallCardContact, { hidden: false }>, "deals" | "tasks" | "interactions">;

export type CallAction =
  | { type: "call"; call: CallPush; now: number }
  | ({ type: "sip.incoming"; now: number } & SipIncoming)
  | { type: "sip.ended"; lineId: string }
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
    case "sip.ended":
      return mapCard(state, (c) => c.lineId === action.lineId, endSipLine);
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
    state.cards.find((c) => c.callId === null && isSameCallFromSip(c, call.callId, number, now));
  if (!call.isMine) {
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
  const merged: Card = {
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
    // Later pushes leave the card out: keep what we have.
    ...(call.card ? { contact: call.card.contact, needsExtras: false } : {}),
  };
  return { cards: state.cards.map((c) => (c === existing ? merged : c)) };
}

function cardFromPush(call: CallPush, number: string | null, now: number): Card {
  return {
    key: call.callId,
    origin: "cti",
    callId: call.callId,
    interactionId: call.interactionId,
    pbxCallId: null,
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
    contact: call.card?.contact ?? null,
    needsExtras: false,
    startedAt: now,
  };
}

function applySipIncoming(state: CallsState, sip: SipIncoming, now: number): CallsState {
  const number = phoneKey(sip.number);
  const pbxCallId = sip.pbxCallId ?? null;
  const existing =
    state.cards.find((c) => c.lineId === sip.lineId) ??
    state.cards.find((c) => c.lineId === null && isSameCallFromCti(c, pbxCallId, number, now));
  if (existing) {
    const bound: Card = {
      ...existing,
      lineId: sip.lineId,
      pbxCallId: pbxCallId ?? existing.pbxCallId,
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
    lineId: sip.lineId,
    state: "ringing",
    direction: "in",
    number,
    displayName: sip.displayName ?? null,
    line: null,
    source: null,
    campaign: null,
    agentExt: null,
    answeredAt: null,
    contact: number === null ? null : undefined,
    needsExtras: false,
    startedAt: now,
  };
  return { cards: [card, ...state.cards] };
}

/** The softphone hung up: a card only the INVITE knew about ends; a CTI card waits for its own `ended`. */
function endSipLine(card: Card): Card {
  return card.callId === null ? { ...card, lineId: null, state: "ended" } : { ...card, lineId: null };
}

/** A SIP-popped card that a CTI push is about: same PBX call id, or same number shortly before. */
function isSameCallFromSip(card: Card, callId: string, number: string | null, now: number): boolean {
  if (card.pbxCallId !== null) {
    return isSamePbxCall(card.pbxCallId, callId);
  }
  return isRecentSameNumber(card, number, now);
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

function isRecentSameNumber(card: Card, number: string | null, now: number): boolean {
  return (
    number !== null &&
    card.number === number &&
    card.state !== "ended" &&
    now - card.startedAt <= SIP_MATCH_WINDOW_MS
  );
}

/** crm-api prefixes the PBX's id with the connection name (`ast1:1700000000.12`); the header has the bare id. */
export function isSamePbxCall(pbxCallId: string, callId: string): boolean {
  return callId === pbxCallId || callId.endsWith(`:${pbxCallId}`);
}

/** The number to match and look up: E.164 when it is a phone, else as it came (an extension). */
export function phoneKey(raw: string | null | undefined): string | null {
  const text = raw?.trim() ?? "";
  if (text === "") {
    return null;
  }
  return normalizePhone(text) ?? text;
}

function outsideNumber(call: CallPush): string | null {
  return phoneKey(call.direction === "out" ? call.to : call.from);
}

export function contactIdOf(card: Card): string | null {
  return card.contact && !card.contact.hidden ? card.contact.id : null;
}

function mapCard(state: CallsState, match: (c: Card) => boolean, change: (c: Card) => Card): CallsState {
  let changed = false;
  const cards = state.cards.map((c) => {
    if (!match(c)) {
      return c;
    }
    changed = true;
    return change(c);
  });
  return changed ? { cards } : state;
}
