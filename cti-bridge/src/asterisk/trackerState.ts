import type { CallDirection, CallEvent, EndCause } from "@okno/contracts";
import { classifyChannel, toLine, toParty, type ChannelKind } from "./channels.ts";
import { announceDraft, endedDraft, pushRecording } from "./callDrafts.ts";

/**
 * What the tracker knows: channels by Uniqueid and calls by Linkedid (Linkedid = the Uniqueid of the
 * call's oldest channel, shared by every leg: fixtures README "Correlation"). Plain data, so a test can
 * look at it after any event.
 */
export type TrackerState = {
  channels: Map<string, TrackedChannel>;
  calls: Map<string, TrackedCall>;
  /** Recently closed calls and hung-up channels: late events (Cdr after Hangup) must not revive them. */
  closedCalls: Set<string>;
  goneChannels: Set<string>;
};

export type TrackerConfig = { agentPattern: RegExp };

export type TrackedChannel = {
  uniqueid: string;
  linkedid: string;
  name: string;
  kind: ChannelKind;
  ext: string | null;
  /** ChannelStateDesc: Down, Ring, Ringing, Up… */
  state: string;
  callerNum: string;
  exten: string;
  /** The channel whose Dial created this leg (DialBegin / AgentCalled). */
  dialedBy: string | null;
  /** The other half of a Local/…;1 ;2 pair (LocalBridge). */
  localPeer: string | null;
  bridgeId: string | null;
  /** Set when a queue rang this leg (AgentCalled). */
  queue: string | null;
  isRinging: boolean;
  isAnswered: boolean;
  isHeld: boolean;
  holds: number;
  /** The last DialEnd status of this leg when it was not answered (CANCEL, NOANSWER, BUSY…). */
  dialStatus: string | null;
  q850: number | null;
};

export type CallPhase = "new" | "ringing" | "answered";

export type TrackedCall = {
  linkedid: string;
  /** new: nothing said yet; ringing: a call.ringing went out; answered: someone took it. */
  phase: CallPhase;
  originatorKind: ChannelKind | null;
  direction: CallDirection | null;
  from: string | null;
  to: string | null;
  line: string | null;
  isLineFromVariable: boolean;
  source: string | null;
  queue: string | null;
  /** The agent who has the call now, and that agent's leg. */
  agentExt: string | null;
  agentLeg: string | null;
  isAbandoned: boolean;
  isAnsweredPerCdr: boolean;
  dialOutcome: EndCause | null;
  q850: number | null;
  /** Target of an announced transfer, so the target's ringing is not taken for a Redirect. */
  pendingTransferTo: string | null;
  transfers: number;
  channels: Set<string>;
  /** Recording file → the leg that recorded it; sent ones are not sent again. */
  recordings: Map<string, string>;
  sentRecordings: Set<string>;
};

type Envelope = "id" | "callId" | "at" | "pbx" | "raw";
type WithoutEnvelope<T> = T extends unknown ? Omit<T, Envelope> : never;
/** A CallEvent before the adapter adds the envelope; `key` makes its id stable (toCallEvent.ts). */
export type CallDraft = WithoutEnvelope<CallEvent> & { linkedid: string; key: string };

/** The fields of a channel snapshot the tracker keeps. */
export type ChannelSnapshot = {
  name: string;
  state: string;
  callerNum: string;
  exten: string;
  uniqueid: string;
  linkedid: string;
};

const MEMORY = 10_000;

export function createTrackerState(): TrackerState {
  return { channels: new Map(), calls: new Map(), closedCalls: new Set(), goneChannels: new Set() };
}

/** Adds to a set that forgets its oldest entries beyond MEMORY (Sets iterate in insertion order). */
function remember(set: Set<string>, value: string): void {
  set.add(value);
  if (set.size > MEMORY) {
    const oldest = set.values().next().value;
    if (oldest !== undefined) {
      set.delete(oldest);
    }
  }
}

function createCall(linkedid: string): TrackedCall {
  return {
    linkedid,
    phase: "new",
    originatorKind: null,
    direction: null,
    from: null,
    to: null,
    line: null,
    isLineFromVariable: false,
    source: null,
    queue: null,
    agentExt: null,
    agentLeg: null,
    isAbandoned: false,
    isAnsweredPerCdr: false,
    dialOutcome: null,
    q850: null,
    pendingTransferTo: null,
    transfers: 0,
    channels: new Set(),
    recordings: new Map(),
    sentRecordings: new Set(),
  };
}

export function callOf(state: TrackerState, channel: TrackedChannel): TrackedCall | undefined {
  return state.calls.get(channel.linkedid);
}

function ensureCall(state: TrackerState, linkedid: string): TrackedCall {
  let call = state.calls.get(linkedid);
  if (!call) {
    call = createCall(linkedid);
    state.calls.set(linkedid, call);
  }
  return call;
}

/** The first channel of a call says who called: a trunk → inbound from its caller ID, to its Exten (the DID). */
function adoptOriginator(call: TrackedCall, channel: TrackedChannel): void {
  call.originatorKind = channel.kind;
  if (channel.kind === "trunk") {
    call.direction = "in";
    call.from = toParty(channel.callerNum);
    if (!call.isLineFromVariable) {
      call.line = toLine(channel.exten);
    }
  } else if (channel.kind === "agent") {
    call.from = channel.ext;
    call.agentExt = channel.ext;
  }
}

/**
 * The channel an event talks about, created on first sight (any channel event carries the full snapshot,
 * so a Newchannel lost in an outage costs nothing). A Linkedid that changed moves the channel to the
 * other call: an attended transfer by SIP REFER re-links the target leg (telephony.md §11, gotcha 8).
 */
export function ensureChannel(
  state: TrackerState,
  snap: ChannelSnapshot,
  config: TrackerConfig,
  out: CallDraft[],
): TrackedChannel | null {
  if (state.goneChannels.has(snap.uniqueid) || state.closedCalls.has(snap.linkedid)) {
    return null;
  }
  const known = state.channels.get(snap.uniqueid);
  if (known) {
    known.state = snap.state || known.state;
    known.callerNum = snap.callerNum || known.callerNum;
    known.exten = snap.exten || known.exten;
    if (known.linkedid !== snap.linkedid) {
      relink(state, known, snap.linkedid, out);
    }
    return known;
  }
  const channel: TrackedChannel = {
    ...snap,
    ...classifyChannel(snap.name, config.agentPattern),
    dialedBy: null,
    localPeer: null,
    bridgeId: null,
    queue: null,
    isRinging: false,
    isAnswered: false,
    isHeld: false,
    holds: 0,
    dialStatus: null,
    q850: null,
  };
  state.channels.set(channel.uniqueid, channel);
  const call = ensureCall(state, channel.linkedid);
  call.channels.add(channel.uniqueid);
  if (channel.uniqueid === channel.linkedid) {
    adoptOriginator(call, channel);
  }
  return channel;
}

function relink(state: TrackerState, channel: TrackedChannel, linkedid: string, out: CallDraft[]): void {
  const previous = state.calls.get(channel.linkedid);
  previous?.channels.delete(channel.uniqueid);
  channel.linkedid = linkedid;
  ensureCall(state, linkedid).channels.add(channel.uniqueid);
  if (previous && previous.channels.size === 0) {
    closeCall(state, previous, out);
  }
}

/** A channel hung up: forget it, and close its call when it was the last one (fixtures README, "Cdr"). */
export function removeChannel(state: TrackerState, channel: TrackedChannel, out: CallDraft[]): void {
  state.channels.delete(channel.uniqueid);
  remember(state.goneChannels, channel.uniqueid);
  const call = callOf(state, channel);
  if (!call) {
    return;
  }
  call.channels.delete(channel.uniqueid);
  if (channel.uniqueid === call.linkedid) {
    call.q850 = channel.q850;
  }
  if (call.channels.size === 0) {
    closeCall(state, call, out);
  }
}

/**
 * End of a call: call.ended, then one recording.ready per file (the file is complete once the call is
 * over; there is no MixMonitorStop when a call just hangs up: fixtures README). An inbound call that
 * never rang anyone (hung up in the IVR) is announced first, so the CRM still sees a missed call.
 */
export function closeCall(state: TrackerState, call: TrackedCall, out: CallDraft[]): void {
  if (call.phase === "new" && call.originatorKind === "trunk") {
    out.push(announceDraft(call, call.linkedid));
    call.phase = "ringing";
  }
  if (call.phase !== "new") {
    out.push(endedDraft(call));
    for (const [file, leg] of call.recordings) {
      pushRecording(call, file, leg, out);
    }
  }
  state.calls.delete(call.linkedid);
  remember(state.closedCalls, call.linkedid);
  for (const uniqueid of call.channels) {
    state.channels.delete(uniqueid);
    remember(state.goneChannels, uniqueid);
  }
}
