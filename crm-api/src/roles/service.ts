import type { Permissions, Role, RoleCode } from "@okno/contracts";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { EVICT_ALL } from "../auth/plugin.ts";
import { notifyAuthChange } from "../auth/service.ts";
import type { AppContext } from "../context.ts";
import { badRequest, notFound } from "../errors.ts";
import { findRole, updateRolePermissions } from "./repo.ts";

/**
 * Replaces a role's permission matrix and makes every instance re-read every principal, so the change
 * applies to the next request of every signed-in user, not after the cache's TTL.
 */
export async function changeRolePermissions(
  ctx: AppContext,
  p: Principal,
  code: RoleCode,
  permissions: Permissions,
): Promise<Role> {
  // Without this an admin could lock everyone out of administration with one request.
  if (code === "admin" && !permissions.canAdminister) {
    throw badRequest("the admin role always keeps canAdminister", {
      "body.permissions.canAdminister": "cannot be taken away from admin",
    });
  }
  const role = await ctx.db.knex.transaction(async (trx) => {
    // Locked, so the audit's "before" is what this update replaced, not what a concurrent one did.
    await trx("roles").where("code", code).forUpdate().first("code");
    const before = await findRole(trx, code);
    if (!before) {
      throw notFound("role");
    }
    const after = (await updateRolePermissions(trx, code, permissions))!;
    // Roles are keyed by their code: the audit's record id is the code.
    await recordAudit(trx, actorOf(p), { entity: "roles", recordId: code, action: "update", before, after });
    return after;
  });
  await notifyAuthChange(ctx, EVICT_ALL);
  return role;
}
