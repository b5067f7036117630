import type { Me } from "@okno/contracts";

/** Supervisors and administrators edit scripts and the knowledge base (crm-api kb/access.ts says the same). */
export function canEditScripts(me: Pick<Me, "role" | "permissions"> | null): boolean {
  return me !== null && (me.role === "supervisor" || me.permissions.canAdminister);
}
