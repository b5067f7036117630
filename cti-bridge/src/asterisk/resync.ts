import type { Logger } from "pino";
import { AmiActionError, type AmiAction, type AmiResult } from "./amiActions.ts";
import { headerOf, type AmiFrame } from "./amiFrame.ts";
import type { TrackerState } from "./trackerState.ts";

/*
 * After a (re)connect the tracker may be behind: events sent while we were away are lost. Asterisk can
 * tell what exists now (CoreShowChannels: every channel; QueueStatus: who waits in which queue; Getvar
 * for the variables of calls we never saw), and the difference is fed to the tracker as ordinary AMI
 * frames: a Hangup for each channel that vanished (its call gets its call.ended), Newchannel/DialBegin/
 * DialEnd for what we missed. The tracker is idempotent per leg, so a call it already knew is not
 * announced twice.
 */

export type PbxSnapshot = {
  /** CoreShowChannel events (AMI_Events/CoreShowChannel). */
  channels: AmiFrame[];
  /** QueueEntry events of QueueStatus (callers waiting). */
  queueEntries: AmiFrame[];
  /** Variables read with Getvar, by Uniqueid, names without the `__` prefix. */
  vars: Map<string, Record<string, string>>;
  /** The frame number that completed CoreShowChannels: events numbered below it are older than the snapshot. */
  seq: number;
};

type SendAction = (action: AmiAction) => Promise<AmiResult>;

/** Variables read with Getvar after a reconnect; the dialplan must set them (asterisk-config/). */
export const RESYNC_VARIABLES = ["CRM_DID", "CRM_SOURCE", "MIXMONITOR_FILENAME", "CRM_RECORDING"];

/** Asks the PBX for its current channels, queue entries and the variables of calls new to us. */
export async function readPbxSnapshot(
  sendAction: SendAction,
  state: TrackerState,
  log: Logger,
): Promise<PbxSnapshot> {
  const { events: channels, seq } = await sendAction({ Action: "CoreShowChannels" });
  let queueEntries: AmiFrame[] = [];
  try {
    const status = await sendAction({ Action: "QueueStatus" });
    queueEntries = status.events.filter((frame) => headerOf(frame, "Event") === "QueueEntry");
  } catch (err) {
    // No app_queue on this PBX (or no queues): channels alone still resync the calls.
    log.warn({ err: (err as Error).message }, "ami queue status unavailable");
  }
  const vars = new Map<string, Record<string, string>>();
  for (const channel of channels) {
    const uniqueid = headerOf(channel, "Uniqueid") ?? "";
    if (uniqueid === headerOf(channel, "Linkedid") && !state.channels.has(uniqueid)) {
      vars.set(uniqueid, await readVariables(sendAction, headerOf(channel, "Channel") ?? ""));
    }
  }
  return { channels, queueEntries, vars, seq };
}

async function readVariables(sendAction: SendAction, channel: string): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
  for (const name of RESYNC_VARIABLES) {
    // Getvar finds an inherited `__CRM_DID` by its bare name; an unset variable comes back empty, and
    // a channel that hung up meanwhile answers Error, which only means there is nothing to learn.
    const value = await sendAction({ Action: "Getvar", Channel: channel, Variable: name }).then(
      (result) => headerOf(result.response, "Value") ?? "",
      (err: unknown) => {
        if (err instanceof AmiActionError) {
          return "";
        }
        throw err; // the connection is gone: this resync is over
      },
    );
    if (value !== "") {
      vars[name] = value;
    }
  }
  return vars;
}

const CHANNEL_FIELDS = [
  "Channel",
  "ChannelStateDesc",
  "CallerIDNum",
  "ConnectedLineNum",
  "Context",
  "Exten",
  "Uniqueid",
  "Linkedid",
];

function fieldsOf(frame: AmiFrame, prefix = ""): AmiFrame {
  const fields: AmiFrame = {};
  for (const name of CHANNEL_FIELDS) {
    fields[prefix + name] = headerOf(frame, name) ?? "";
  }
  return fields;
}

/** Uniqueid "1795456775.12" sorts by its sequence number, the order Asterisk created the channels in. */
function bySequence(a: AmiFrame, b: AmiFrame): number {
  const seq = (frame: AmiFrame) =>
    Number.parseFloat((headerOf(frame, "Uniqueid") ?? "").replace(/^\d+\./, "")) || 0;
  return seq(a) - seq(b);
}

/** The frames that bring the tracker's state in line with the snapshot (pure; see the header comment). */
export function buildResyncFrames(state: TrackerState, snapshot: PbxSnapshot): AmiFrame[] {
  const calls = new Map<string, AmiFrame[]>();
  for (const frame of [...snapshot.channels].sort(bySequence)) {
    const linkedid = headerOf(frame, "Linkedid") ?? "";
    calls.set(linkedid, [...(calls.get(linkedid) ?? []), frame]);
  }
  const frames = vanishedFrames(state, calls);
  for (const [linkedid, channels] of calls) {
    frames.push(...callFrames(state, linkedid, channels, snapshot));
  }
  return frames;
}

/**
 * A Hangup for each channel we know that the PBX no longer has. Its real cause was lost; a phone that
 * was still ringing while someone answered the call stopped for the reason Asterisk gives then, 26
 * "answered elsewhere" (inbound-answered, the ringall leg); anything else gets 0, "unknown".
 */
function vanishedFrames(state: TrackerState, calls: Map<string, AmiFrame[]>): AmiFrame[] {
  const present = new Set([...calls.values()].flat().map((frame) => headerOf(frame, "Uniqueid")));
  const frames: AmiFrame[] = [];
  for (const channel of state.channels.values()) {
    if (present.has(channel.uniqueid)) {
      continue;
    }
    const others = calls.get(channel.linkedid) ?? [];
    const isAnswered =
      state.calls.get(channel.linkedid)?.phase === "answered" ||
      others.some(
        (frame) =>
          headerOf(frame, "Uniqueid") !== channel.linkedid && headerOf(frame, "ChannelStateDesc") === "Up",
      );
    const cause = channel.isRinging && !channel.isAnswered && isAnswered ? "26" : "0";
    const { name, uniqueid, linkedid } = channel;
    frames.push({ Event: "Hangup", Channel: name, Uniqueid: uniqueid, Linkedid: linkedid, Cause: cause });
  }
  return frames;
}

function callFrames(
  state: TrackerState,
  linkedid: string,
  channels: AmiFrame[],
  snapshot: PbxSnapshot,
): AmiFrame[] {
  const first = channels.find((frame) => headerOf(frame, "Uniqueid") === linkedid) ?? channels[0];
  if (!first) {
    return [];
  }
  const ordered = [first, ...channels.filter((frame) => frame !== first)];
  const frames: AmiFrame[] = ordered.map((frame) => ({ Event: "Newchannel", ...fieldsOf(frame) }));
  for (const [name, value] of Object.entries(snapshot.vars.get(headerOf(first, "Uniqueid") ?? "") ?? {})) {
    frames.push({ Event: "VarSet", ...fieldsOf(first), Variable: name, Value: value });
  }
  for (const entry of snapshot.queueEntries) {
    const waiting = channels.find((frame) => headerOf(frame, "Uniqueid") === headerOf(entry, "Uniqueid"));
    if (waiting) {
      frames.push({ Event: "QueueCallerJoin", ...fieldsOf(waiting), Queue: headerOf(entry, "Queue") ?? "" });
    }
  }
  // Bridges as they are now: a caller that left its bridge in the gap runs dialplan again (Redirect).
  for (const frame of ordered) {
    const bridgeId = headerOf(frame, "BridgeId") ?? "";
    const known = state.channels.get(headerOf(frame, "Uniqueid") ?? "")?.bridgeId ?? null;
    if (bridgeId !== "") {
      frames.push({ Event: "BridgeEnter", ...fieldsOf(frame), BridgeUniqueid: bridgeId });
    } else if (known !== null) {
      frames.push({ Event: "BridgeLeave", ...fieldsOf(frame), BridgeUniqueid: known });
    }
  }
  // Which channel dialled which is not in the snapshot; the call's first channel stands in as the
  // caller (for inbound it is the trunk, for outgoing the agent), which is what the direction needs.
  // Every other channel was dialled by someone; an Up one was answered. A leg we know that is still
  // Down has not been dialled yet (Newchannel comes before AgentCalled/DialBegin): its own events will.
  for (const leg of ordered.slice(1)) {
    const legState = headerOf(leg, "ChannelStateDesc") ?? "";
    const isKnown = state.channels.has(headerOf(leg, "Uniqueid") ?? "");
    const dial = { ...fieldsOf(first), ...fieldsOf(leg, "Dest") };
    if (!isKnown || legState === "Ringing" || legState === "Up") {
      frames.push({ Event: "DialBegin", ...dial, DialString: "" });
    }
    if (legState === "Up") {
      frames.push({ Event: "DialEnd", ...dial, DialStatus: "ANSWER" });
    }
  }
  return frames;
}
