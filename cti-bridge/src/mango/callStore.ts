import { agentExtOf, isCallbackLeg, isMachineLeg, isReplacement } from "./legFacts.ts";
import type { CallPayload, MangoCallState } from "./payloads.ts";

/**
 * What the adapter remembers of a Mango call (`entry_id`) and its legs (`call_id`): plain data, so a
 * test can compare it after any sequence of webhooks.
 *
 * A leg's events carry `seq` 1, 2, 3… (PDF appendix examples) and may arrive out of order. An event is
 * applied when it is the leg's next one; one that arrives ahead of a gap waits in `pending` until the
 * gap fills or the reorder window passes; one older than what was applied is stale and dropped.
 *
 * ```
 *   Appeared ──► Connected ⇄ OnHold          (every state) ──► Disconnected
 *       └── Appeared again with the customer in `from` = transfer completed (blind)
 *   Connected again with the customer in `from` = transfer completed (consultative)
 * ```
 */
export type MangoLeg = {
  callId: string;
  /** Highest seq applied; 0 before the first. */
  lastSeq: number;
  /** Seqs applied or pending: a repeat of any of them is a duplicate. */
  seen: Set<number>;
  pending: Map<number, CallPayload>;
  state: MangoCallState | null;
  location: string | null;
  agentExt: string | null;
  /** The employee in `from` as last reported: its replacement by the customer ends a transfer. */
  fromExt: string | null;
  wasConnected: boolean;
  isTransferred: boolean;
};

export type MangoCall = {
  entryId: string;
  legs: Map<string, MangoLeg>;
  /** events/summary came: the call is over. */
  isClosed: boolean;
  touchedAt: number;
  closedAt: number | null;
  /** Some leg waited in a queue, and some employee answered: the summary's cause needs both. */
  wasQueued: boolean;
  wasAnswered: boolean;
  /** recording_id → state from events/recording; ids already announced by events/record/added. */
  recordings: Map<string, string>;
  addedRecordings: Set<string>;
  /** Keys of recording and DTMF webhooks seen, for idempotency. */
  seenKeys: Set<string>;
  dtmf: string[];
};

export type MangoStore = Map<string, MangoCall>;

export function callOf(store: MangoStore, entryId: string, now: number): MangoCall {
  const known = store.get(entryId);
  if (known) {
    known.touchedAt = now;
    return known;
  }
  const call: MangoCall = {
    entryId,
    legs: new Map(),
    isClosed: false,
    touchedAt: now,
    closedAt: null,
    wasQueued: false,
    wasAnswered: false,
    recordings: new Map(),
    addedRecordings: new Set(),
    seenKeys: new Set(),
    dtmf: [],
  };
  store.set(entryId, call);
  return call;
}

export function legOf(call: MangoCall, callId: string): MangoLeg {
  const known = call.legs.get(callId);
  if (known) {
    return known;
  }
  const leg: MangoLeg = {
    callId,
    lastSeq: 0,
    seen: new Set(),
    pending: new Map(),
    state: null,
    location: null,
    agentExt: null,
    fromExt: null,
    wasConnected: false,
    isTransferred: false,
  };
  call.legs.set(callId, leg);
  return leg;
}

export type Admission = "next" | "ahead" | "duplicate" | "stale";

/** Where a webhook stands against its leg's sequence; it is not recorded until `markSeen`. */
export function admit(leg: MangoLeg, seq: number, isOrdered: boolean): Admission {
  if (leg.seen.has(seq)) {
    return "duplicate";
  }
  if (seq <= leg.lastSeq) {
    return "stale";
  }
  return seq === leg.lastSeq + 1 || !isOrdered ? "next" : "ahead";
}

/** Moves the leg to the payload's state. The mapper reads the leg before this runs. */
export function applyCallPayload(call: MangoCall, p: CallPayload): void {
  const leg = legOf(call, p.call_id);
  const isTalking = p.call_state === "Connected" && !isMachineLeg(p);
  if (isReplacement(leg.fromExt, p)) {
    leg.isTransferred = true;
  }
  if (p.transfer !== null && p.from.taken_from_call_id !== null && p.call_state === "Appeared") {
    leg.isTransferred = true;
  }
  leg.seen.add(p.seq);
  leg.pending.delete(p.seq);
  leg.lastSeq = Math.max(leg.lastSeq, p.seq);
  leg.state = p.call_state === "Other" ? leg.state : p.call_state;
  leg.location = p.location ?? leg.location;
  leg.agentExt = agentExtOf(p) ?? leg.agentExt;
  leg.fromExt = p.from.extension;
  leg.wasConnected ||= isTalking;
  call.wasQueued ||= p.location === "queue";
  // The employee picking up his own phone in a callback is not the customer answering.
  call.wasAnswered ||= isTalking && !isCallbackLeg(p);
}

/** The pending payloads of a leg that can be applied now, in seq order (all of them when `isForced`). */
export function takeReady(leg: MangoLeg, isForced: boolean): CallPayload[] {
  const ready: CallPayload[] = [];
  let last = leg.lastSeq;
  for (const seq of [...leg.pending.keys()].sort((a, b) => a - b)) {
    if (!isForced && seq !== last + 1) {
      break;
    }
    const payload = leg.pending.get(seq);
    if (payload) {
      ready.push(payload);
    }
    last = seq;
  }
  return ready;
}
