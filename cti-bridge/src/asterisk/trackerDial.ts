import type { AmiEvent } from "./amiEvents.ts";
import { numberOfDialString, toParty } from "./channels.ts";
import { causeOfDialStatus } from "./endCause.ts";
import {
  callOf,
  ensureChannel,
  type CallDraft,
  type ChannelSnapshot,
  type TrackedCall,
  type TrackedChannel,
  type TrackerConfig,
  type TrackerState,
} from "./trackerState.ts";
import { announceDraft } from "./callDrafts.ts";
import { inferRedirect } from "./trackerTransfer.ts";

/*
 * Ringing and answering. A queue call (fixtures: inbound-answered) goes QueueCallerJoin → AgentCalled +
 * DialBegin per member (ringall) → DialEnd ANSWER for the winner → QueueCallerLeave → AgentConnect;
 * the cancelled member gets DialEnd CANCEL twice and Hangup Cause 26. Each leg rings and answers once
 * here, whichever of its events comes first.
 */

type Event<N extends AmiEvent["Event"]> = Extract<AmiEvent, { Event: N }>;
type ChannelFields = Partial<
  Record<"Channel" | "ChannelStateDesc" | "CallerIDNum" | "Exten" | "Uniqueid" | "Linkedid", string>
>;
type DestFields = Record<
  "DestChannel" | "DestChannelStateDesc" | "DestCallerIDNum" | "DestExten" | "DestUniqueid" | "DestLinkedid",
  string
>;

export function snapshotOf(e: ChannelFields): ChannelSnapshot | null {
  if (!e.Channel || !e.Uniqueid || !e.Linkedid) {
    return null; // DialBegin of an Originate has only the Dest side (fixtures README, click-to-call)
  }
  const { ChannelStateDesc: state = "", CallerIDNum: callerNum = "", Exten: exten = "" } = e;
  return { name: e.Channel, state, callerNum, exten, uniqueid: e.Uniqueid, linkedid: e.Linkedid };
}

function destSnapshotOf(e: DestFields): ChannelSnapshot {
  return {
    name: e.DestChannel,
    state: e.DestChannelStateDesc,
    callerNum: e.DestCallerIDNum,
    exten: e.DestExten,
    uniqueid: e.DestUniqueid,
    linkedid: e.DestLinkedid,
  };
}

/** Both sides of a dial or queue event, created on first sight; null when either is unknown or gone. */
function sidesOf(
  state: TrackerState,
  e: ChannelFields & DestFields,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const callerSnap = snapshotOf(e);
  const caller = callerSnap ? ensureChannel(state, callerSnap, config, out) : null;
  const leg = ensureChannel(state, destSnapshotOf(e), config, out);
  const call = leg ? callOf(state, leg) : undefined;
  if (!caller || !leg || !call) {
    return null;
  }
  leg.dialedBy ??= caller.uniqueid;
  return { caller, leg, call };
}

/**
 * The first dial decides the direction of a call an agent or Asterisk started: an outside leg makes it
 * outgoing, an agent's phone internal. A trunk's call was already inbound from its first channel.
 */
function decideDirection(call: TrackedCall, caller: TrackedChannel, leg: TrackedChannel): void {
  if (call.direction !== null || leg.kind === "local") {
    return;
  }
  call.direction = leg.kind === "trunk" ? "out" : caller.kind === "trunk" ? "in" : "internal";
  call.from ??= caller.ext ?? toParty(caller.callerNum);
  if (caller.kind === "agent") {
    call.agentExt ??= caller.ext;
  }
}

/** call.ringing for one leg: an agent's phone, or the outside party of an outgoing call. */
function ringLeg(
  call: TrackedCall,
  leg: TrackedChannel,
  caller: TrackedChannel,
  dialled: string,
  out: CallDraft[],
) {
  if (leg.isRinging) {
    return;
  }
  const base = {
    type: "call.ringing",
    linkedid: call.linkedid,
    key: `ringing:${leg.uniqueid}`,
    legId: leg.uniqueid,
  } as const;
  if (leg.kind === "agent") {
    inferRedirect(call, leg, caller, out);
    out.push({
      ...base,
      direction: call.direction ?? "internal",
      from: call.from ?? toParty(caller.callerNum),
      to: leg.ext ?? toParty(leg.callerNum),
      line: call.direction === "in" ? call.line : null,
      agentExt: leg.ext,
      queue: leg.queue,
      source: call.source,
    });
  } else if (leg.kind === "trunk" && call.direction === "out" && call.phase === "new") {
    // Outbound: the trunk leg's own Exten is meaningless ("s" in from-trunk); use DialBegin DestExten
    // or the dial string, else the CallerIDNum NewCallerid gave it (fixtures README, "Outbound").
    call.to = toParty(dialled || leg.callerNum);
    out.push({
      ...base,
      direction: "out",
      from: call.from ?? "anonymous",
      to: call.to,
      line: null,
      agentExt: call.agentExt,
      queue: null,
      source: call.source,
    });
  } else {
    return;
  }
  leg.isRinging = true;
  if (call.phase === "new") {
    call.phase = "ringing";
  }
}

/** call.answered when an agent picks up, or when the outside party of an outgoing call does. */
function answerLeg(call: TrackedCall, leg: TrackedChannel, caller: TrackedChannel, out: CallDraft[]) {
  if (leg.isAnswered) {
    return;
  }
  ringLeg(call, leg, caller, "", out); // a leg whose ringing we missed (outage) still rings first
  leg.isAnswered = true;
  const isAgentLeg = leg.kind === "agent";
  if (!isAgentLeg && !(leg.kind === "trunk" && call.direction === "out")) {
    return; // a Local half or a forwarded outside leg answering is not someone taking the call
  }
  const agentExt = isAgentLeg ? leg.ext : call.agentExt;
  call.phase = "answered";
  call.agentExt = agentExt;
  call.agentLeg = isAgentLeg ? leg.uniqueid : caller.uniqueid;
  out.push({
    type: "call.answered",
    linkedid: call.linkedid,
    key: `answered:${leg.uniqueid}`,
    legId: leg.uniqueid,
    agentExt,
  });
}

export function handleDialBegin(
  state: TrackerState,
  e: Event<"DialBegin">,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const sides = sidesOf(state, e, config, out);
  if (sides) {
    decideDirection(sides.call, sides.caller, sides.leg);
    ringLeg(sides.call, sides.leg, sides.caller, e.DestExten || numberOfDialString(e.DialString), out);
  } else {
    // Originate dials the agent's own phone first (no calling side): that phone ringing is the agent
    // placing a click-to-call, not a call for them. The call starts when it dials out.
    ensureChannel(state, destSnapshotOf(e), config, out);
  }
}

export function handleDialEnd(
  state: TrackerState,
  e: Event<"DialEnd">,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const sides = sidesOf(state, e, config, out);
  if (!sides) {
    return;
  }
  const { call, leg, caller } = sides;
  if (e.DialStatus === "ANSWER") {
    answerLeg(call, leg, caller, out);
    return;
  }
  leg.dialStatus = e.DialStatus || leg.dialStatus;
  if (leg.isRinging && call.direction !== "in") {
    call.dialOutcome = causeOfDialStatus(e.DialStatus) ?? call.dialOutcome;
  }
}

/** A queue member's phone rang out its timeout (AMI_Events/AgentRingNoAnswer); the queue goes on. */
export function handleAgentRingNoAnswer(
  state: TrackerState,
  e: Event<"AgentRingNoAnswer">,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const sides = sidesOf(state, e, config, out);
  if (sides && !sides.leg.isAnswered) {
    sides.leg.dialStatus = "NOANSWER";
  }
}

/** AgentCalled precedes its DialBegin and names the queue (fixtures: inbound-answered). */
export function handleAgentCalled(
  state: TrackerState,
  e: Event<"AgentCalled">,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const sides = sidesOf(state, e, config, out);
  if (sides) {
    sides.leg.queue = e.Queue || null;
    decideDirection(sides.call, sides.caller, sides.leg);
    ringLeg(sides.call, sides.leg, sides.caller, "", out);
  }
}

/**
 * AgentConnect says a member took the call. AgentComplete (the end of that talk) says it again: when an
 * outage swallowed the answer and the call ended before the resync could see it, it still names the agent.
 */
export function handleAgentConnect(
  state: TrackerState,
  e: Event<"AgentConnect" | "AgentComplete">,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const sides = sidesOf(state, e, config, out);
  if (sides) {
    answerLeg(sides.call, sides.leg, sides.caller, out);
  }
}

/** A caller waiting in a queue is announced at once, with no agent yet: the CRM can pop the card. */
export function handleQueueCallerJoin(
  state: TrackerState,
  e: Event<"QueueCallerJoin">,
  config: TrackerConfig,
  out: CallDraft[],
) {
  const snap = snapshotOf(e);
  const channel = snap ? ensureChannel(state, snap, config, out) : null;
  const call = channel ? callOf(state, channel) : undefined;
  if (!channel || !call) {
    return;
  }
  call.queue = e.Queue || call.queue;
  if (call.phase === "new") {
    out.push(announceDraft(call, channel.uniqueid));
    call.phase = "ringing";
  }
}
