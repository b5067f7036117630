import type { CtiCommand, CtiCommandResult } from "@okno/contracts";
import { runAsteriskCommand, type AsteriskCommandTarget } from "./asterisk.ts";
import { runMangoCommand, type MangoCommandTarget } from "./mango.ts";

/** The PBX connections this bridge can command; null when that PBX is not configured here. */
export type CommandTargets = {
  pbxIds: { asterisk: string; mango: string; genesys: string };
  asterisk: AsteriskCommandTarget | null;
  mango: MangoCommandTarget | null;
};

/**
 * The PBX a command is for: the callId's prefix ("ast1:…"), else its `pbx`, else the bridge's first
 * configured PBX (Asterisk before Mango): one office usually has one.
 */
export function pbxOf(targets: CommandTargets, cmd: CtiCommand): string | null {
  if ("callId" in cmd) {
    return cmd.callId.slice(0, cmd.callId.indexOf(":"));
  }
  if (cmd.pbx) {
    return cmd.pbx;
  }
  if (targets.asterisk) {
    return targets.pbxIds.asterisk;
  }
  return targets.mango ? targets.pbxIds.mango : null;
}

export async function dispatchCommand(targets: CommandTargets, cmd: CtiCommand): Promise<CtiCommandResult> {
  const pbx = pbxOf(targets, cmd);
  const { pbxIds } = targets;
  if (pbx === pbxIds.asterisk && targets.asterisk) {
    return runAsteriskCommand(targets.asterisk, cmd);
  }
  if (pbx === pbxIds.mango && targets.mango) {
    return runMangoCommand(targets.mango, cmd);
  }
  if (pbx === pbxIds.genesys) {
    // Genesys Cloud is followed through its notifications only; commands need its Conversations API.
    return { ok: false, code: "unsupported", message: "commands are not supported on Genesys Cloud" };
  }
  return {
    ok: false,
    code: "not_configured",
    message: pbx ? `PBX ${pbx} is not configured on this bridge` : "no PBX is configured on this bridge",
  };
}
