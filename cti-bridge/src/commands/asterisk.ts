import { randomUUID } from "node:crypto";
import type { CtiCommand, CtiCommandResult } from "@okno/contracts";
import { AmiActionError, type AmiAction, type AmiResult } from "../asterisk/amiActions.ts";
import { AriError, type Ari } from "../asterisk/ari/index.ts";
import type { CallChannels, ChannelRef } from "../asterisk/callLookup.ts";

/*
 * Commands on Asterisk. AMI monitors every dialplan and can act on any channel, so it does the work on
 * ordinary calls: BlindTransfer, Atxfer/CancelAtxfer, Hangup, QueuePause/QueueAdd/QueueRemove
 * (docs.asterisk.org AMI_Actions). ARI, when ARI_URL is set, originates and hangs up by channel id and
 * runs supervisor snoops; ARI's redirect/continue would need the channel to be in our Stasis app, which
 * calls of an existing dialplan never are (telephony.md §2.6).
 *
 * Click-to-call rings the agent's phone and, once answered, continues into the dialplan context where
 * an agent dials by hand (ASTERISK_DIAL_CONTEXT, reference "from-agents") with the customer's number,
 * rather than parking both legs in Stasis and bridging them ourselves: the call then gets the same
 * trunk selection, caller ID and MixMonitor as a hand-dialled one, the AMI tracker sees the familiar
 * outbound sequence, and the call survives a restart of the bridge.
 */

export type AsteriskCommandTarget = {
  pbxId: string;
  ami: {
    sendAction: (action: AmiAction, timeoutMs?: number) => Promise<AmiResult>;
    lookupCall: (linkedid: string) => CallChannels | null;
  };
  ari: Pick<Ari, "rest" | "supervisor"> | null;
  /** Where an extension or a number is dialled as an agent would (reference dialplan: from-agents). */
  dialContext: string;
  /** How long the agent's (or supervisor's) phone rings before the attempt is given up. */
  ringTimeoutSec?: number;
};

type Of<T extends CtiCommand["type"]> = Extract<CtiCommand, { type: T }>;
const fail = (code: "not_found" | "unsupported" | "pbx_error" | "not_configured", message: string) =>
  ({ ok: false, code, message }) as const;
const ok: CtiCommandResult = { ok: true };
const endpointOf = (ext: string) => `PJSIP/${ext}`;
/** "ast1:1795456775.0" → "1795456775.0": the Linkedid. */
const linkedidOf = (callId: string) => callId.slice(callId.indexOf(":") + 1);

export async function runAsteriskCommand(
  target: AsteriskCommandTarget,
  cmd: CtiCommand,
): Promise<CtiCommandResult> {
  try {
    return await run(target, cmd);
  } catch (err) {
    return toResult(err);
  }
}

async function run(target: AsteriskCommandTarget, cmd: CtiCommand): Promise<CtiCommandResult> {
  switch (cmd.type) {
    case "call.originate":
      return originate(target, cmd);
    case "call.hangup":
      return hangup(target, cmd);
    case "call.transfer":
    case "call.transfer.complete":
    case "call.transfer.cancel":
      return transfer(target, cmd);
    case "call.supervise":
      return supervise(target, cmd);
    case "agent.queue":
      return queue(target, cmd);
  }
}

async function originate(
  target: AsteriskCommandTarget,
  cmd: Of<"call.originate">,
): Promise<CtiCommandResult> {
  // Our id for the agent's channel: it becomes the call's Linkedid (the oldest channel), so the callId
  // is known before the phone rings (ARI channelId, AMI ChannelId; Asterisk 13+).
  const channelId = `okno-${randomUUID()}`;
  const variables = cmd.contactId ? { CRM_CONTACT_ID: cmd.contactId } : undefined;
  const timeoutSec = target.ringTimeoutSec ?? 30;
  if (target.ari) {
    await target.ari.rest.originate({
      endpoint: endpointOf(cmd.agentExt),
      context: target.dialContext,
      extension: cmd.to,
      channelId,
      callerId: cmd.to,
      timeoutSec,
      variables,
    });
  } else {
    await target.ami.sendAction({
      Action: "Originate",
      Channel: endpointOf(cmd.agentExt),
      Context: target.dialContext,
      Exten: cmd.to,
      Priority: "1",
      CallerID: cmd.to,
      Timeout: String(timeoutSec * 1000),
      ChannelId: channelId,
      Async: "true",
      Variable: variables ? Object.entries(variables).map(([k, v]) => `${k}=${v}`) : undefined,
    });
  }
  return { ok: true, callId: `${target.pbxId}:${channelId}` };
}

/** The call's channels and the leg a command acts on: the one named, or the agent's. */
function legOf(
  target: AsteriskCommandTarget,
  cmd: { callId: string; legId?: string | undefined },
): { call: CallChannels; leg: ChannelRef } | CtiCommandResult {
  const call = target.ami.lookupCall(linkedidOf(cmd.callId));
  if (!call) {
    return fail("not_found", "the PBX has no such call (it may have ended)");
  }
  const leg = cmd.legId ? call.channels.find((c) => c.uniqueid === cmd.legId) : call.agentLeg;
  if (!leg) {
    return fail("not_found", cmd.legId ? "no such leg on this call" : "no agent is on this call");
  }
  return { call, leg };
}

async function hangupChannel(target: AsteriskCommandTarget, leg: ChannelRef): Promise<void> {
  if (target.ari) {
    await target.ari.rest.hangup(leg.uniqueid, "normal");
  } else {
    await target.ami.sendAction({ Action: "Hangup", Channel: leg.name, Cause: "16" });
  }
}

async function hangup(target: AsteriskCommandTarget, cmd: Of<"call.hangup">): Promise<CtiCommandResult> {
  if (cmd.legId) {
    const found = legOf(target, cmd);
    if ("ok" in found) {
      return found;
    }
    await hangupChannel(target, found.leg);
    return ok;
  }
  const call = target.ami.lookupCall(linkedidOf(cmd.callId));
  if (!call) {
    return fail("not_found", "the PBX has no such call (it may have ended)");
  }
  // The whole call: every real leg. Local/ plumbing goes with them; a leg that hung up meanwhile is fine.
  const legs = call.channels.filter((c) => c.kind !== "local");
  const results = await Promise.allSettled(legs.map((leg) => hangupChannel(target, leg)));
  const failed = results.find(
    (r): r is PromiseRejectedResult => r.status === "rejected" && toResult(r.reason).code !== "not_found",
  );
  if (failed) {
    throw failed.reason;
  }
  return ok;
}

async function transfer(
  target: AsteriskCommandTarget,
  cmd: Of<"call.transfer" | "call.transfer.complete" | "call.transfer.cancel">,
): Promise<CtiCommandResult> {
  const found = legOf(target, cmd);
  if ("ok" in found) {
    return found;
  }
  const channel = found.leg.name;
  switch (cmd.type) {
    case "call.transfer":
      // BlindTransfer sends the transferer's bridge peer (the customer) to the extension at once; Atxfer
      // puts the customer on hold while the agent consults (features.conf atxfer, DTMF-driven).
      await target.ami.sendAction({
        Action: cmd.mode === "blind" ? "BlindTransfer" : "Atxfer",
        Channel: channel,
        Exten: cmd.to,
        Context: target.dialContext,
      });
      return ok;
    case "call.transfer.complete":
      // An attended transfer completes when the transferer hangs up (fixtures README, inbound-atxfer).
      await target.ami.sendAction({ Action: "Hangup", Channel: channel, Cause: "16" });
      return ok;
    case "call.transfer.cancel":
      await target.ami.sendAction({ Action: "CancelAtxfer", Channel: channel });
      return ok;
  }
}

/** ChanSpy options without ARI: q quiet, E exit when the spied channel hangs up, w whisper, B barge. */
const CHANSPY = { listen: "qE", whisper: "qEw", barge: "qEB" } as const;

async function supervise(
  target: AsteriskCommandTarget,
  cmd: Of<"call.supervise">,
): Promise<CtiCommandResult> {
  const found = legOf(target, cmd);
  if ("ok" in found) {
    return found;
  }
  const agent = found.leg;
  const callerId = `Okno ${cmd.mode} <${agent.ext ?? ""}>`;
  if (target.ari) {
    await target.ari.supervisor.supervise({
      agentChannelId: agent.uniqueid,
      supervisorEndpoint: endpointOf(cmd.supervisorExt),
      mode: cmd.mode,
      callerId,
      ringTimeoutSec: target.ringTimeoutSec,
    });
    return ok;
  }
  // The dialplan-only equivalent (telephony.md §2.6): the supervisor's phone runs ChanSpy on the agent's
  // channel once answered.
  await target.ami.sendAction({
    Action: "Originate",
    Channel: endpointOf(cmd.supervisorExt),
    Application: "ChanSpy",
    Data: `${agent.name},${CHANSPY[cmd.mode]}`,
    CallerID: callerId,
    Timeout: String((target.ringTimeoutSec ?? 30) * 1000),
    Async: "true",
  });
  return ok;
}

/**
 * Queue membership. With a queue: login/logout add and remove a dynamic member. Without one the agent
 * is a static member of every queue (queues.conf `member =>`, as in the reference PBX), so logging in
 * and out is unpausing and pausing everywhere.
 */
async function queue(target: AsteriskCommandTarget, cmd: Of<"agent.queue">): Promise<CtiCommandResult> {
  const Interface = endpointOf(cmd.agentExt);
  const pause = (paused: boolean, reason?: string) =>
    target.ami.sendAction({
      Action: "QueuePause",
      Interface,
      Paused: paused ? "true" : "false",
      Queue: cmd.queue,
      Reason: paused ? reason : undefined,
    });
  try {
    switch (cmd.action) {
      case "pause":
        await pause(true, cmd.reason);
        return ok;
      case "unpause":
        await pause(false);
        return ok;
      case "login":
        await (cmd.queue
          ? target.ami.sendAction({ Action: "QueueAdd", Queue: cmd.queue, Interface, Paused: "false" })
          : pause(false));
        return ok;
      case "logout":
        await (cmd.queue
          ? target.ami.sendAction({ Action: "QueueRemove", Queue: cmd.queue, Interface })
          : pause(true, cmd.reason ?? "logged out"));
        return ok;
    }
  } catch (err) {
    // Already a member / not a member: the agent is where the command wanted them.
    if (err instanceof AmiActionError && /already there|not there/i.test(err.message)) {
      return ok;
    }
    throw err;
  }
}

/** What went wrong, as the contract says it. */
export function toResult(err: unknown): Extract<CtiCommandResult, { ok: false }> {
  if (err instanceof AmiActionError) {
    const isMissing = /no such channel|not found|interface not found/i.test(err.message);
    return fail(isMissing ? "not_found" : "pbx_error", err.message);
  }
  if (err instanceof AriError) {
    return fail(err.kind === "not_found" ? "not_found" : "pbx_error", err.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  return fail("pbx_error", message);
}
