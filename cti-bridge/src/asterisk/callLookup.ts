import type { ChannelKind } from "./channels.ts";
import type { TrackerState } from "./trackerState.ts";

/** One channel of a call as commands need it: ARI addresses it by id (Uniqueid), AMI by name. */
export type ChannelRef = {
  uniqueid: string;
  name: string;
  kind: ChannelKind;
  ext: string | null;
  isAnswered: boolean;
};

/** What commands may know of a live call: a copy, so nothing outside the tracker can change its state. */
export type CallChannels = {
  linkedid: string;
  /** The leg of the agent who has the call now (the transferer of a transfer, the one to snoop on). */
  agentLeg: ChannelRef | null;
  channels: ChannelRef[];
};

/** A read-only look at a tracked call by its Linkedid (callId "ast1:<Linkedid>"); null when unknown or over. */
export function lookupCall(state: TrackerState, linkedid: string): CallChannels | null {
  const call = state.calls.get(linkedid);
  if (!call) {
    return null;
  }
  const channels: ChannelRef[] = [];
  for (const uniqueid of call.channels) {
    const c = state.channels.get(uniqueid);
    if (c) {
      channels.push({ uniqueid, name: c.name, kind: c.kind, ext: c.ext, isAnswered: c.isAnswered });
    }
  }
  const agentLeg = channels.find((c) => c.uniqueid === call.agentLeg) ?? null;
  return { linkedid, agentLeg, channels };
}
