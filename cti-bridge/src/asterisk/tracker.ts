import type { AmiEvent } from "./amiEvents.ts";
import { variableName } from "./amiEvents.ts";
import { q850Of, toLine } from "./channels.ts";
import { causeOfQ850 } from "./endCause.ts";
import {
  handleAgentCalled,
  handleAgentConnect,
  handleAgentRingNoAnswer,
  handleDialBegin,
  handleDialEnd,
  handleQueueCallerJoin,
  snapshotOf,
} from "./trackerDial.ts";
import {
  callOf,
  closeCall,
  ensureChannel,
  removeChannel,
  type CallDraft,
  type TrackedChannel,
  type TrackerConfig,
  type TrackerState,
} from "./trackerState.ts";
import { legEndedDraft, pushRecording } from "./callDrafts.ts";
import { handleAttendedTransfer, handleBlindTransfer } from "./trackerTransfer.ts";

/*
 * The call tracker turns AMI channel events into call events. AMI reports channels, not calls: a call is
 * every channel sharing one Linkedid. Life of a call (TrackedCall.phase):
 *
 *            QueueCallerJoin (no agent yet) / DialBegin or AgentCalled to an agent /
 *            DialBegin to the outside (outgoing)            ─► call.ringing (once per leg)
 *   ┌─────┐ ──────────────────────────────────────────► ┌─────────┐
 *   │ new │                                             │ ringing │ ──DialEnd ANSWER / AgentConnect──┐
 *   └──┬──┘                                             └────┬────┘     ─► call.answered            │
 *      │ last Hangup of an inbound call                      │                                       ▼
 *      │ that rang nobody (IVR)                              │ QueueCallerAbandon marks   ┌──────────────┐
 *      │ ─► call.ringing + call.ended(missed)                │ it abandoned               │   answered   │◄─┐
 *      ▼                                                     │                            └──┬────────┬──┘  │
 *   (closed) ◄── last Hangup / CEL LINKEDID_END ─────────────┴───────────────────────────────┘        │     │
 *      ─► call.ended(cause, q850), recording.ready per file      Hold/Unhold ─► held/resumed,         │     │
 *                                                                transfers ─► call.transferred, then ─┘     │
 *                                                                the new agent rings and answers ───────────┘
 *
 * Each leg (channel) that rang has its own small life: ringing ─► answered, or ─► Hangup unanswered,
 * which sends call.ended with its legId (that phone stopped ringing; the call goes on).
 *
 * Every handler is idempotent per leg, so the frames a resync synthesises after a reconnect (resync.ts)
 * can repeat what the tracker already knows without doubling anything.
 */

export type TrackerInput = { event: AmiEvent; chanVars: Record<string, string> };

type Event<N extends AmiEvent["Event"]> = Extract<AmiEvent, { Event: N }>;

/** Applies one AMI event to the state and returns the call events it caused, in order. */
export function applyAmiEvent(state: TrackerState, input: TrackerInput, config: TrackerConfig): CallDraft[] {
  const out: CallDraft[] = [];
  const { event } = input;
  // Learn the channel from any event that carries it (but a Hangup must not create what it ends), and
  // apply manager.conf `channelvars` before the event itself, so a DID in them is on the first ringing.
  const snap = event.Event === "Hangup" ? null : snapshotOf(event as Partial<Record<string, string>>);
  const channel = snap ? ensureChannel(state, snap, config, out) : null;
  if (channel) {
    for (const [name, value] of Object.entries(input.chanVars)) {
      applyVariable(state, channel, name, value);
    }
  }
  dispatch(state, event, channel, config, out);
  return out;
}

function dispatch(
  state: TrackerState,
  event: AmiEvent,
  channel: TrackedChannel | null,
  config: TrackerConfig,
  out: CallDraft[],
): void {
  switch (event.Event) {
    case "DialBegin":
      return handleDialBegin(state, event, config, out);
    case "DialEnd":
      return handleDialEnd(state, event, config, out);
    case "AgentCalled":
      return handleAgentCalled(state, event, config, out);
    case "AgentConnect":
    case "AgentComplete":
      return handleAgentConnect(state, event, config, out);
    case "AgentRingNoAnswer":
      return handleAgentRingNoAnswer(state, event, config, out);
    case "QueueCallerJoin":
      return handleQueueCallerJoin(state, event, config, out);
    case "BlindTransfer":
      return handleBlindTransfer(state, event, out);
    case "AttendedTransfer":
      return handleAttendedTransfer(state, event, out);
    case "Hangup":
      return handleHangup(state, event, out);
    case "LocalBridge":
      return handleLocalBridge(state, event);
    case "Cdr":
      return handleCdr(state, event);
    case "CEL":
      return handleCel(state, event, out);
    case "VarSet":
    case "Hold":
    case "Unhold":
    case "BridgeEnter":
    case "BridgeLeave":
    case "QueueCallerAbandon":
    case "QueueCallerLeave":
    case "MixMonitorStart":
    case "MixMonitorStop":
    case "Newchannel":
    case "Newstate":
      return channel ? applyChannelEvent(state, event, channel, out) : undefined;
  }
}

type ChannelOnlyEvent = Event<
  | "VarSet"
  | "Hold"
  | "Unhold"
  | "BridgeEnter"
  | "BridgeLeave"
  | "QueueCallerAbandon"
  | "QueueCallerLeave"
  | "MixMonitorStart"
  | "MixMonitorStop"
  | "Newchannel"
  | "Newstate"
>;

/** Events about one channel, after it was learnt (or ignored when it is gone). */
function applyChannelEvent(
  state: TrackerState,
  event: ChannelOnlyEvent,
  channel: TrackedChannel,
  out: CallDraft[],
): void {
  const call = callOf(state, channel);
  switch (event.Event) {
    case "VarSet":
      return applyVariable(state, channel, event.Variable, event.Value);
    case "Hold":
    case "Unhold":
      return applyHold(state, channel, event.Event === "Hold", out);
    case "BridgeEnter":
      channel.bridgeId = event.BridgeUniqueid;
      return;
    case "BridgeLeave":
      channel.bridgeId = channel.bridgeId === event.BridgeUniqueid ? null : channel.bridgeId;
      return;
    case "QueueCallerAbandon":
      if (call) {
        call.isAbandoned = true;
      }
      return;
    case "MixMonitorStop":
      // A StopMixMonitor mid-call closes the file now; a plain hangup sends no MixMonitorStop at all.
      if (call && call.phase !== "new") {
        for (const [file, leg] of call.recordings) {
          if (leg === channel.uniqueid) {
            pushRecording(call, file, leg, out);
          }
        }
      }
      return;
    case "Newchannel":
    case "Newstate":
    case "MixMonitorStart":
    case "QueueCallerLeave":
      // Learning the channel and its state was all they had to give. QueueCallerLeave comes on answer
      // too, before AgentConnect (fixtures README), so it says nothing about the outcome; the file name
      // is not in MixMonitorStart (see applyVariable).
      return;
  }
}

/**
 * Dialplan variables (VarSet, or ChanVariable headers): the DID, the tracking source and the recording
 * file. Inherited ones arrive as `__CRM_DID` on the trunk channel and on each agent leg (fixtures README).
 */
function applyVariable(state: TrackerState, channel: TrackedChannel, name: string, value: string): void {
  const call = callOf(state, channel);
  if (!call) {
    return;
  }
  switch (variableName(name)) {
    case "CRM_DID": {
      // The dialplan's own statement wins over the trunk's Exten, which is often "s" (FreePBX) or
      // rewritten; after a Goto every event says "Exten: s" anyway (fixtures README, DID).
      const line = toLine(value);
      if (line) {
        call.line = line;
        call.isLineFromVariable = true;
      }
      return;
    }
    case "CRM_SOURCE":
      call.source = value || call.source;
      return;
    case "MIXMONITOR_FILENAME":
    case "CRM_RECORDING":
      // MixMonitorStart has no file name; it is only in these variables (fixtures README, recording).
      if (value && !call.recordings.has(value)) {
        call.recordings.set(value, channel.uniqueid);
      }
      return;
    default:
      return;
  }
}

/** The blind-transfer capture has an Unhold with no Hold before it: only a held channel resumes. */
function applyHold(state: TrackerState, channel: TrackedChannel, isHold: boolean, out: CallDraft[]): void {
  const call = callOf(state, channel);
  if (!call || call.phase === "new" || channel.isHeld === isHold) {
    return;
  }
  channel.isHeld = isHold;
  channel.holds += isHold ? 1 : 0;
  if (!isHold && channel.kind === "agent") {
    // An agent back from hold has the call again (e.g. after a consultation that did not transfer).
    call.agentExt = channel.ext;
    call.agentLeg = channel.uniqueid;
  }
  out.push({
    type: isHold ? "call.held" : "call.resumed",
    linkedid: call.linkedid,
    key: `${isHold ? "held" : "resumed"}:${channel.uniqueid}:${channel.holds}`,
    legId: channel.uniqueid,
    agentExt: channel.ext ?? call.agentExt,
  });
}

function handleHangup(state: TrackerState, event: Event<"Hangup">, out: CallDraft[]): void {
  const channel = state.channels.get(event.Uniqueid);
  if (!channel) {
    return; // a channel we never saw (or already closed): nothing to end
  }
  channel.q850 = q850Of(event.Cause);
  const call = callOf(state, channel);
  const isUnanswered = channel.isRinging && !channel.isAnswered;
  if (call && isUnanswered && call.direction !== "in" && call.dialOutcome === null) {
    call.dialOutcome = causeOfQ850(channel.q850); // the dialled side hung up with no DialEnd seen
  }
  if (call && isUnanswered && channel.kind === "agent") {
    out.push(legEndedDraft(call, channel));
  }
  removeChannel(state, channel, out);
}

function handleLocalBridge(state: TrackerState, event: Event<"LocalBridge">): void {
  const one = state.channels.get(event.LocalOneUniqueid);
  const two = state.channels.get(event.LocalTwoUniqueid);
  if (one && two) {
    one.localPeer = two.uniqueid;
    two.localPeer = one.uniqueid;
  }
}

/**
 * Cdr comes once per dial attempt with the caller's UniqueID and no Linkedid, before the caller's final
 * Hangup (after it when abandoned). It only confirms an answer the tracker may have missed in an outage.
 */
function handleCdr(state: TrackerState, event: Event<"Cdr">): void {
  const channel = state.channels.get(event.UniqueID);
  const call = channel ? callOf(state, channel) : undefined;
  if (call && event.Disposition === "ANSWERED" && event.DestinationChannel !== "") {
    call.isAnsweredPerCdr = true;
  }
}

/** CEL LINKEDID_END: "the last channel with a given linkedid has been destroyed" (telephony.md §2.1). */
function handleCel(state: TrackerState, event: Event<"CEL">, out: CallDraft[]): void {
  const call = state.calls.get(event.LinkedID);
  if (event.EventName === "LINKEDID_END" && call) {
    closeCall(state, call, out);
  }
}
