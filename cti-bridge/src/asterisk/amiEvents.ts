import { z } from "zod";
import { headerOf, headersOf, type AmiFrame } from "./amiFrame.ts";

/*
 * Schemas of the AMI events the call tracker reads (docs.asterisk.org, Asterisk 22
 * API_Documentation/AMI_Events/<Name>). Only the fields used are declared; the rest are ignored.
 * Every other event is passed on untyped. Field names are AMI's own and never leave this folder.
 */

const id = z.string().min(1);
const text = z.string().default("");

/** The channel snapshot every channel event carries ("Channel", "Uniqueid", "Linkedid", …). */
const channel = {
  Channel: id,
  ChannelStateDesc: text,
  CallerIDNum: text,
  ConnectedLineNum: text,
  Context: text,
  Exten: text,
  Uniqueid: id,
  Linkedid: id,
};

/** The same snapshot of the other leg, prefixed "Dest" (DialBegin, AgentCalled…). */
const dest = {
  DestChannel: id,
  DestChannelStateDesc: text,
  DestCallerIDNum: text,
  DestConnectedLineNum: text,
  DestContext: text,
  DestExten: text,
  DestUniqueid: id,
  DestLinkedid: id,
};

const channelEvent = <N extends string>(name: N) => z.object({ Event: z.literal(name), ...channel });
const queueEvent = <N extends string>(name: N) => channelEvent(name).extend({ Queue: text });
const agentEvent = <N extends string>(name: N) =>
  queueEvent(name).extend({ ...dest, Interface: text, MemberName: text, Reason: text });
/** Dial events: the calling side is absent when an Originate dials the first leg (fixtures README). */
const dialEvent = <N extends string>(name: N) =>
  z.object({ Event: z.literal(name), ...z.object(channel).partial().shape, ...dest });

export const AmiEvent = z.discriminatedUnion("Event", [
  channelEvent("Newchannel"),
  channelEvent("Newstate"),
  channelEvent("Hold"),
  channelEvent("Unhold"),
  channelEvent("MixMonitorStart"),
  channelEvent("MixMonitorStop"),
  channelEvent("Hangup").extend({ Cause: text }),
  channelEvent("VarSet").extend({ Variable: id, Value: text }),
  channelEvent("BridgeEnter").extend({ BridgeUniqueid: id }),
  channelEvent("BridgeLeave").extend({ BridgeUniqueid: id }),
  queueEvent("QueueCallerJoin"),
  queueEvent("QueueCallerAbandon"),
  queueEvent("QueueCallerLeave"),
  agentEvent("AgentCalled"),
  agentEvent("AgentConnect"),
  agentEvent("AgentComplete"),
  agentEvent("AgentRingNoAnswer"),
  dialEvent("DialBegin").extend({ DialString: text }),
  dialEvent("DialEnd").extend({ DialStatus: text }),
  z.object({
    Event: z.literal("BlindTransfer"),
    Result: text,
    TransfererUniqueid: id,
    TransfererLinkedid: id,
    /** Absent when a whole multi-party bridge is transferred (AMI_Events/BlindTransfer). */
    TransfereeLinkedid: z.string().optional(),
    Extension: text,
  }),
  z.object({
    Event: z.literal("AttendedTransfer"),
    Result: text,
    OrigTransfererUniqueid: id,
    OrigTransfererLinkedid: id,
    TransfereeLinkedid: z.string().optional(),
    TransferTargetUniqueid: z.string().optional(),
    TransferTargetChannel: text,
    TransferTargetCallerIDNum: text,
    TransferTargetExten: text,
  }),
  z.object({ Event: z.literal("LocalBridge"), LocalOneUniqueid: id, LocalTwoUniqueid: id }),
  /** One Cdr per dial attempt, keyed by the caller's UniqueID, with no Linkedid (fixtures README). */
  z.object({ Event: z.literal("Cdr"), UniqueID: id, Disposition: text, DestinationChannel: text }),
  /** CEL over AMI (cel_manager): LINKEDID_END = the last channel of a Linkedid is gone. */
  z.object({ Event: z.literal("CEL"), EventName: text, LinkedID: id }),
]);
export type AmiEvent = z.infer<typeof AmiEvent>;
export type AmiEventName = AmiEvent["Event"];

/** Names of the AMI events the call tracker reads (manager.conf's eventfilter must let them all pass). */
export const TRACKED_EVENTS: ReadonlySet<string> = new Set(AmiEvent.options.map((o) => o.shape.Event.value));

/** Channel variables the tracker reads, without the `_`/`__` inheritance prefix. */
export const TRACKED_VARIABLES = new Set(["CRM_DID", "CRM_SOURCE", "CRM_RECORDING", "MIXMONITOR_FILENAME"]);

/** `__CRM_DID` → `CRM_DID`: VarSet reports inherited variables with their prefix (fixtures README, DID). */
export function variableName(name: string): string {
  return name.replace(/^_{1,2}/, "");
}

export type ParsedAmiEvent =
  | { kind: "tracked"; event: AmiEvent; chanVars: Record<string, string> }
  | { kind: "other"; name: string }
  | { kind: "invalid"; name: string; problem: string };

/**
 * `ChanVariable: CRM_DID=74951234567` headers, one per variable listed in manager.conf `channelvars`
 * (Asterisk 12+ format; telephony.md §2.1). The duplicated header is why frames keep every value.
 */
export function chanVariablesOf(frame: AmiFrame): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const entry of headersOf(frame, "ChanVariable")) {
    const eq = entry.indexOf("=");
    if (eq > 0) {
      vars[variableName(entry.slice(0, eq))] = entry.slice(eq + 1);
    }
  }
  return vars;
}

export function parseAmiEvent(frame: AmiFrame): ParsedAmiEvent {
  const name = headerOf(frame, "Event") ?? "";
  if (!TRACKED_EVENTS.has(name)) {
    return { kind: "other", name };
  }
  // Two thirds of all events are VarSet (fixtures README, "Events per call"); skip the uninteresting
  // ones before paying for validation.
  const variable = headerOf(frame, "Variable");
  if (name === "VarSet" && (variable === undefined || !TRACKED_VARIABLES.has(variableName(variable)))) {
    return { kind: "other", name };
  }
  const parsed = AmiEvent.safeParse(frame);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    return { kind: "invalid", name, problem };
  }
  return { kind: "tracked", event: parsed.data, chanVars: chanVariablesOf(frame) };
}
