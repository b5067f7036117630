import type { Me } from "@okno/contracts";

/**
 * Supervisors and administrators get the calls journal, the recordings and the agents' board: the rule
 * crm-api applies to the board and to listen/whisper/barge (agents/state.ts watchesAgents, calls/access.ts).
 */
export function canSupervise(me: Pick<Me, "role" | "permissions"> | null): boolean {
  return me !== null && (me.role === "supervisor" || me.permissions.canAdminister);
}
