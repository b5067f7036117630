import type { CallCardContact, CallDirection, CallState } from "@okno/contracts";

export type CardOrigin = "cti" | "sip";

/** A colleague putting the call through to this agent (warm transfer): who, and their note. */
export interface CardHandover {
  fromName: string;
  fromExt: string | null;
  /** Null until the colleague sends one (POST /calls/handover). */
  note: string | null;
}

export interface Card {
  /** Stable for the card's life: the CTI callId, or `sip:<lineId>` for a card the INVITE popped. */
  key: string;
  origin: CardOrigin;
  callId: string | null;
  interactionId: string | null;
  pbxCallId: string | null;
  /**
   * The id this desktop reports the call under when no CTI bridge does (`sip:…`, see
   * softphone/legReporter.ts), or the colleague's, read from X-Okno-Call-Id on their consult INVITE.
   */
  sipCallId: string | null;
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
  /** This agent talked on the call: when it moves on to a colleague the card stays for the wrap-up. */
  isAnsweredHere: boolean;
  /** Set on the colleague's side of a warm transfer. */
  handover: CardHandover | null;
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
  /** The id the softphone reports this call under, when it does (a call no bridge reports). */
  sipCallId?: string | null;
}

/** A warm transfer landed here: `lineId` carries the customer who replaced the consult call. */
export interface SipReplaced {
  lineId: string;
  replacedLineId: string;
  number: string;
  displayName?: string | null;
}
