import type { CallDirection, CallEvent, EndCause } from "@okno/contracts";
import type { MangoCall } from "./callStore.ts";
import { mangoEventId } from "./eventId.ts";
import { causeOfReason, partyOf, phoneOf } from "./legFacts.ts";
import type { RecordAddedPayload, SummaryPayload } from "./payloads.ts";
import { mangoTime, type EventBody } from "./toCallEvent.ts";

/** events/summary `call_direction` (telephony.md §1.2): 0 internal, 1 inbound, 2 outbound. */
const DIRECTIONS: Record<number, CallDirection> = { 0: "internal", 1: "in", 2: "out" };

/**
 * The whole call is over (events/summary: "after it the call can be considered complete"). Its cause:
 * entry_result 1 means someone talked; otherwise the reason's group, else an inbound call that waited in
 * a queue was abandoned and any other was missed.
 */
export function summaryCause(call: MangoCall, s: SummaryPayload): EndCause {
  if (s.entry_result === 1) {
    return "completed";
  }
  const byReason = causeOfReason(s.disconnect_reason);
  if (byReason !== null) {
    return byReason;
  }
  return s.call_direction === 1 && call.wasQueued ? "abandoned" : "missed";
}

/**
 * The CallEvents of events/summary: the call's end. A call we saw no leg of (the bridge restarted
 * mid-call, or events/call is not enabled for the product) is rebuilt from the summary alone: its
 * ringing at create_time, its answer at talk_time, then the end, so crm-api still gets the whole call.
 */
export function summaryToCallEvents(call: MangoCall, s: SummaryPayload, pbx: string): CallEvent[] {
  const direction = DIRECTIONS[s.call_direction] ?? "in";
  const isAnswered = s.entry_result === 1;
  // For a successful call `to` is who answered; for a missed one, who missed it first (telephony.md §1.2).
  const agentExt = direction === "out" ? s.from.extension : s.to.extension;
  const events: [number, EventBody][] = [];
  if (call.legs.size === 0) {
    const line = direction === "in" ? phoneOf(s.line_number ?? s.to.line_number) : null;
    events.push([
      s.create_time,
      {
        type: "call.ringing",
        direction,
        from: partyOf(s.from),
        to: partyOf(s.to),
        line,
        agentExt,
        queue: null,
      },
    ]);
    if (isAnswered && s.talk_time) {
      events.push([s.talk_time, { type: "call.answered", agentExt }]);
    }
  }
  const reason = s.disconnect_reason ?? null;
  events.push([
    s.end_time,
    {
      type: "call.ended",
      cause: summaryCause(call, s),
      q850: null,
      vendorCause: reason === null ? null : String(reason),
      agentExt: isAnswered ? agentExt : null,
    },
  ]);
  return events.map(([seconds, body]) => ({
    ...body,
    id: mangoEventId(s.entry_id, "summary", 0, body.type),
    callId: `${pbx}:${s.entry_id}`,
    at: mangoTime(seconds, 999),
    pbx,
    raw: "mango:events/summary",
  }));
}

/**
 * events/record/added: the recording is in Mango's cloud and can be downloaded ("the best trigger",
 * telephony.md §1.2); the core fetches it through `queries/recording/post` and adds the storage key.
 */
export function recordAddedToCallEvent(p: RecordAddedPayload, pbx: string): CallEvent {
  return {
    type: "recording.ready",
    recordingId: p.recording_id,
    id: mangoEventId(p.entry_id, p.recording_id, 0, "recording.ready"),
    callId: `${pbx}:${p.entry_id}`,
    at: mangoTime(p.timestamp),
    pbx,
    raw: `mango:events/record/added:${p.recording_id}`,
  };
}
