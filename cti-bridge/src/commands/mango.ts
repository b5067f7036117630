import type { CtiCommand, CtiCommandResult } from "@okno/contracts";
import type { MangoCall, MangoLeg } from "../mango/callStore.ts";
import { MangoApiError, type MangoCommands } from "../mango/index.ts";

/*
 * Commands on Mango Office (VPBX API §3.2, telephony.md §1.5). Mango acts on legs (`call_id`), and a
 * transfer names its initiator, an employee on the call: both come from the webhook ingest's view of
 * the call (`entry_id` = our callId after "mango:"), unless the command names the leg itself.
 * Mango has no supervisor listening or queue membership commands: those answer `unsupported`.
 */

export type MangoCommandTarget = {
  commands: Pick<MangoCommands, "callback" | "transfer" | "callsConnect" | "transferCancel" | "hangup">;
  /** The ingest's calls by entry_id, once the webhook plugin runs (null before). */
  calls: () => ReadonlyMap<string, MangoCall> | null;
};

const fail = (code: "not_found" | "unsupported" | "pbx_error", message: string) =>
  ({ ok: false, code, message }) as const;
const ok: CtiCommandResult = { ok: true };
const entryIdOf = (callId: string) => callId.slice(callId.indexOf(":") + 1);
const isLive = (leg: MangoLeg) => leg.state !== null && leg.state !== "Disconnected";

/** The agent's live leg: the named one, or the latest connected (else on hold) leg with an employee. */
function agentLeg(call: MangoCall | undefined, legId: string | undefined): MangoLeg | null {
  if (!call) {
    return null;
  }
  if (legId) {
    return call.legs.get(legId) ?? null;
  }
  const withAgent = [...call.legs.values()].filter((leg) => leg.agentExt !== null && isLive(leg));
  return withAgent.findLast((leg) => leg.state === "Connected") ?? withAgent.at(-1) ?? null;
}

export async function runMangoCommand(
  target: MangoCommandTarget,
  cmd: CtiCommand,
): Promise<CtiCommandResult> {
  try {
    return await run(target, cmd);
  } catch (err) {
    // MangoApiError messages name the command and Mango's result code, never a URL or a number.
    const message = err instanceof MangoApiError ? err.message : "mango command failed";
    return fail("pbx_error", message);
  }
}

async function run(target: MangoCommandTarget, cmd: CtiCommand): Promise<CtiCommandResult> {
  if (cmd.type === "call.originate") {
    // Mango rings the employee, then the number; the entry_id comes later with the first webhook.
    await target.commands.callback({ fromExt: cmd.agentExt, toNumber: cmd.to });
    return ok;
  }
  if (cmd.type === "call.supervise" || cmd.type === "agent.queue") {
    return fail("unsupported", `Mango Office has no API for ${cmd.type}`);
  }
  const call = target.calls()?.get(entryIdOf(cmd.callId));
  const leg = agentLeg(call, cmd.legId);
  if (!call || !leg) {
    return fail("not_found", call ? "no agent leg on this call" : "no such call (it may have ended)");
  }
  switch (cmd.type) {
    case "call.hangup":
      await target.commands.hangup({ callId: leg.callId });
      return ok;
    case "call.transfer":
      if (!leg.agentExt) {
        return fail("not_found", "no employee on this leg to transfer from");
      }
      await target.commands.transfer({
        callId: leg.callId,
        method: cmd.mode === "blind" ? "blind" : "hold",
        toNumber: cmd.to,
        initiator: leg.agentExt,
      });
      return ok;
    case "call.transfer.cancel":
      await target.commands.transferCancel({ callId: heldLeg(call)?.callId ?? leg.callId });
      return ok;
    case "call.transfer.complete": {
      // calls_connect joins the held leg with the consultation leg of the same entry_id.
      const held = heldLeg(call);
      const consult = [...call.legs.values()].findLast((l) => l !== held && l.state === "Connected");
      if (!held || !consult || !held.agentExt) {
        return fail("not_found", "no attended transfer under way on this call");
      }
      await target.commands.callsConnect({
        heldCallId: held.callId,
        transferInitiatorNumber: held.agentExt,
        transferredCallId: consult.callId,
      });
      return ok;
    }
  }
}

function heldLeg(call: MangoCall): MangoLeg | undefined {
  return [...call.legs.values()].find((leg) => leg.state === "OnHold");
}
