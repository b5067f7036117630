import type { AmiEvent } from "./amiEvents.ts";
import { localExtenOf, toParty } from "./channels.ts";
import type { CallDraft, TrackedCall, TrackedChannel, TrackerState } from "./trackerState.ts";

/*
 * Transfers (AMI_Events/BlindTransfer, AMI_Events/AttendedTransfer; fixtures README):
 * - blind: BlindTransfer (Extension 103), then the *same* caller channel dials PJSIP/103;
 * - attended (AMI Atxfer): Hold on the transferer, a Local/102@agents;1/;2 pair dials PJSIP/102 in a
 *   consultation bridge, and when 101 hangs up AttendedTransfer names the Local;1 half as the target;
 * - Redirect: no transfer event at all, only BridgeLeave and the caller dialling someone new.
 */

type Event<N extends AmiEvent["Event"]> = Extract<AmiEvent, { Event: N }>;

function pushTransfer(
  call: TrackedCall,
  transfer: { kind: "blind" | "attended"; fromExt: string | null; to: string; legId: string },
  out: CallDraft[],
): void {
  call.transfers += 1;
  out.push({
    type: "call.transferred",
    linkedid: call.linkedid,
    key: `transferred:${call.transfers}`,
    ...transfer,
  });
}

export function handleBlindTransfer(state: TrackerState, e: Event<"BlindTransfer">, out: CallDraft[]): void {
  const call = state.calls.get(e.TransfereeLinkedid ?? e.TransfererLinkedid);
  if (e.Result !== "Success" || !call) {
    return;
  }
  const transferer = state.channels.get(e.TransfererUniqueid);
  const to = toParty(e.Extension);
  pushTransfer(
    call,
    { kind: "blind", fromExt: transferer?.ext ?? call.agentExt, to, legId: e.TransfererUniqueid },
    out,
  );
  // The target's ringing comes next; it is the result of this transfer, not a Redirect.
  call.pendingTransferTo = to;
}

export function handleAttendedTransfer(
  state: TrackerState,
  e: Event<"AttendedTransfer">,
  out: CallDraft[],
): void {
  const call = state.calls.get(e.TransfereeLinkedid ?? e.OrigTransfererLinkedid);
  if (e.Result !== "Success" || !call) {
    return;
  }
  const transferer = state.channels.get(e.OrigTransfererUniqueid);
  const target = e.TransferTargetUniqueid ? state.channels.get(e.TransferTargetUniqueid) : undefined;
  const reached = target ? legBehind(state, target) : undefined;
  const to = reached
    ? partyOf(reached)
    : toParty(
        localExtenOf(e.TransferTargetChannel) ?? (e.TransferTargetCallerIDNum || e.TransferTargetExten),
      );
  pushTransfer(
    call,
    { kind: "attended", fromExt: transferer?.ext ?? null, to, legId: e.OrigTransfererUniqueid },
    out,
  );
  if (reached?.kind === "agent" && reached.isAnswered) {
    call.agentExt = reached.ext;
    call.agentLeg = reached.uniqueid;
  }
}

function partyOf(channel: TrackedChannel): string {
  return channel.ext ?? toParty(channel.callerNum);
}

/** Through a Local pair to the phone it dialled: Local/102@agents;1 → ;2 → PJSIP/102 (inbound-atxfer). */
function legBehind(state: TrackerState, channel: TrackedChannel): TrackedChannel | undefined {
  if (channel.kind !== "local") {
    return channel;
  }
  const halves = new Set([channel.uniqueid, channel.localPeer]);
  for (const other of state.channels.values()) {
    if (other.kind !== "local" && other.dialedBy !== null && halves.has(other.dialedBy)) {
      return other;
    }
  }
  return undefined;
}

/**
 * A call an agent had answered, whose caller left the bridge and now dials another agent from the
 * dialplan, was moved without a transfer event (AMI Redirect, ARI redirect: fixtures README). Say so as
 * a blind transfer, unless a transfer event already announced this move.
 */
export function inferRedirect(
  call: TrackedCall,
  leg: TrackedChannel,
  caller: TrackedChannel,
  out: CallDraft[],
): void {
  if (call.pendingTransferTo !== null) {
    call.pendingTransferTo = null;
    return;
  }
  if (
    call.phase !== "answered" ||
    caller.kind !== "trunk" ||
    call.agentExt === null ||
    call.agentExt === leg.ext
  ) {
    return;
  }
  if (caller.bridgeId !== null) {
    return; // still bridged (with the agent, or held during a consultation): not moved
  }
  const to = leg.ext ?? toParty(leg.callerNum);
  pushTransfer(
    call,
    { kind: "blind", fromExt: call.agentExt, to, legId: call.agentLeg ?? caller.uniqueid },
    out,
  );
}
