import { endCauseOf, legCauseOf } from "./endCause.ts";
import type { CallDraft, TrackedCall, TrackedChannel } from "./trackerState.ts";

/* Drafts built from a call's state: the queue announcement, the ends and the recordings. */

export function pushRecording(call: TrackedCall, file: string, leg: string, out: CallDraft[]): void {
  if (call.sentRecordings.has(file)) {
    return;
  }
  call.sentRecordings.add(file);
  out.push({
    type: "recording.ready",
    linkedid: call.linkedid,
    key: `recording:${file}`,
    legId: leg,
    recordingId: file,
  });
}

/** The call-wide call.ringing of a call nobody is ringing yet (waiting in a queue). */
export function announceDraft(call: TrackedCall, legId: string): CallDraft {
  return {
    type: "call.ringing",
    linkedid: call.linkedid,
    key: `ringing:${legId}`,
    legId,
    direction: call.direction ?? "internal",
    from: call.from ?? "anonymous",
    to: call.line ?? call.queue ?? call.to ?? "unknown",
    line: call.direction === "in" ? call.line : null,
    agentExt: null,
    queue: call.queue,
    source: call.source,
  };
}

export function endedDraft(call: TrackedCall): CallDraft {
  const isAnswered = call.phase === "answered" || call.isAnsweredPerCdr;
  const facts = {
    direction: call.direction,
    isAnswered,
    isAbandoned: call.isAbandoned,
    dialOutcome: call.dialOutcome,
  };
  return {
    type: "call.ended",
    linkedid: call.linkedid,
    key: "ended",
    cause: endCauseOf(facts),
    q850: call.q850,
    agentExt: call.agentExt,
  };
}

/**
 * A phone that rang stopped ringing unanswered: the leg's own end (`legId` set), which tells the desktop
 * to stop ringing there; the call itself goes on (or ends with its own call.ended).
 */
export function legEndedDraft(call: TrackedCall, leg: TrackedChannel): CallDraft {
  const facts = {
    direction: call.direction,
    isCallAnswered: call.phase === "answered",
    dialStatus: leg.dialStatus,
    q850: leg.q850,
  };
  return {
    type: "call.ended",
    linkedid: call.linkedid,
    key: `ended:${leg.uniqueid}`,
    legId: leg.uniqueid,
    cause: legCauseOf(facts),
    q850: leg.q850,
    agentExt: leg.ext,
  };
}
