import type { CallEvent, EndCause } from "@okno/contracts";
import type { MangoCall, MangoLeg } from "./callStore.ts";
import { mangoEventId } from "./eventId.ts";
import {
  agentExtOf,
  CALLER_HUNG_UP,
  causeOfReason,
  isCallbackLeg,
  isMachineLeg,
  isReplacement,
  legDirection,
  partyOf,
  phoneOf,
  transferKindOf,
} from "./legFacts.ts";
import type { CallPayload } from "./payloads.ts";

type Envelope = "id" | "callId" | "at" | "pbx" | "raw" | "legId";
type Body<T> = T extends unknown ? Omit<T, Envelope> : never;
/** A CallEvent without its envelope, which `envelope()` adds. */
export type EventBody = Body<CallEvent>;

/**
 * Mango stamps events in whole seconds; the leg's seq, as milliseconds, keeps one leg's events in
 * order for consumers that order by time (crm-api merges by `at`). A shift below one second.
 */
export function mangoTime(seconds: number, seq = 0): string {
  return new Date(seconds * 1000 + Math.min(Math.max(seq, 0), 999)).toISOString();
}

function envelope(p: CallPayload, pbx: string, body: EventBody): CallEvent {
  return {
    ...body,
    id: mangoEventId(p.entry_id, p.call_id, p.seq, body.type),
    callId: `${pbx}:${p.entry_id}`,
    legId: p.call_id,
    at: mangoTime(p.timestamp, p.seq),
    pbx,
    raw: `mango:events/call:${p.call_id}#${p.seq}`,
  };
}

/**
 * The CallEvents one events/call webhook means, given what was known of the call before it (the leg is
 * read, not changed: `applyCallPayload` moves it afterwards). Pure.
 */
export function toCallEvent(call: MangoCall, p: CallPayload, pbx: string): CallEvent[] {
  const leg = call.legs.get(p.call_id) ?? null;
  return bodiesOf(call, leg, p).map((body) => envelope(p, pbx, body));
}

function bodiesOf(call: MangoCall, leg: MangoLeg | null, p: CallPayload): EventBody[] {
  switch (p.call_state) {
    case "Appeared":
      return appeared(call, leg, p);
    case "Connected":
      return connected(leg, p);
    case "OnHold":
      return isMachineLeg(p) ? [] : [{ type: "call.held", agentExt: leg?.agentExt ?? agentExtOf(p) }];
    case "Disconnected":
      return [ended(leg, p)];
    case "Other":
      return [];
  }
}

function appeared(call: MangoCall, leg: MangoLeg | null, p: CallPayload): EventBody[] {
  if (leg && isReplacement(leg.fromExt, p)) {
    return leg.isTransferred ? [] : [transferred(leg, p)];
  }
  const events: EventBody[] = [ringing(p)];
  const kind = transferKindOf(p.transfer);
  const takenFrom = p.from.taken_from_call_id;
  if (kind !== null && takenFrom !== null && !leg?.isTransferred) {
    // A leg created by a transfer that names itself (the `transfer` field): who transferred is the
    // employee of the leg the party was taken from.
    const fromExt = call.legs.get(takenFrom)?.agentExt ?? null;
    events.push({ type: "call.transferred", kind, fromExt, to: agentExtOf(p) ?? partyOf(p.to) });
  }
  return events;
}

function ringing(p: CallPayload): EventBody {
  const direction = legDirection(p);
  const agentExt = isMachineLeg(p) ? null : agentExtOf(p);
  // A callback rings our employee first with the customer in `from`; the call goes from him to them.
  const isCallback = isCallbackLeg(p);
  return {
    type: "call.ringing",
    direction,
    from: isCallback ? partyOf(p.to) : partyOf(p.from),
    to: isCallback ? partyOf(p.from) : partyOf(p.to),
    line: direction === "in" ? phoneOf(p.to.line_number ?? p.dct?.number ?? null) : null,
    agentExt,
    queue: p.to.acd_group,
  };
}

function connected(leg: MangoLeg | null, p: CallPayload): EventBody[] {
  const events: EventBody[] = [];
  if (leg && isReplacement(leg.fromExt, p) && !leg.isTransferred) {
    events.push(transferred(leg, p));
  }
  if (leg?.state === "OnHold") {
    return [...events, { type: "call.resumed", agentExt: leg.agentExt ?? agentExtOf(p) }];
  }
  if (isMachineLeg(p) || isCallbackLeg(p) || leg?.wasConnected) {
    return events;
  }
  return [...events, { type: "call.answered", agentExt: leg?.agentExt ?? agentExtOf(p) }];
}

/**
 * The end of a transfer: the customer now talks to (or rings) the leg's employee. Consultative when the
 * employees had talked on this leg first (PDF pp. 339–342), blind when it had only rung (pp. 337–340),
 * unless the `transfer` field says which.
 */
function transferred(leg: MangoLeg, p: CallPayload): EventBody {
  const kind = transferKindOf(p.transfer) ?? (leg.wasConnected ? "attended" : "blind");
  return {
    type: "call.transferred",
    kind,
    fromExt: leg.fromExt,
    to: leg.agentExt ?? agentExtOf(p) ?? partyOf(p.to),
  };
}

/** A leg's end; the call's own end comes with events/summary. */
function ended(leg: MangoLeg | null, p: CallPayload): EventBody {
  const reason = p.disconnect_reason ?? null;
  return {
    type: "call.ended",
    cause: legCause(leg, p, reason),
    q850: null,
    vendorCause: reason === null ? null : String(reason),
    agentExt: isMachineLeg(p) ? null : (leg?.agentExt ?? agentExtOf(p)),
  };
}

function legCause(leg: MangoLeg | null, p: CallPayload, reason: number | null): EndCause {
  if (leg?.wasConnected) {
    return "completed";
  }
  const byReason = causeOfReason(reason);
  if (byReason !== null) {
    return byReason;
  }
  if (p.location === "queue") {
    return reason === CALLER_HUNG_UP ? "abandoned" : "completed";
  }
  // An IVR leg ends normally when the caller is routed on (PDF pp. 331–333, reason 1100).
  return p.location === "ivr" ? "completed" : "missed";
}
