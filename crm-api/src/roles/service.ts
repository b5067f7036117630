import type { Permissions, Role, RoleCode } from "@okno/contracts";
import { EVICT_ALL } from "../auth/plugin.ts";
import { notifyAuthChange } from "../auth/service.ts";
import type { AppContext } from "../context.ts";
import { badRequest, notFound } from "../errors.ts";
import { updateRolePermissions } from "./repo.ts";

/**
 * Replaces a role's permission matrix and makes every instance re-read every principal, so the change
 * applies to the next request of every signed-in user, not after the cache's TTL.
 */
export async function changeRolePermissions(
  ctx: AppContext,
  code: RoleCode,
  permissions: Permissions,
): Promise<Role> {
  // Without this an admin could lock everyone out of administration with one request.
  if (code === "admin" && !permissions.canAdminister) {
    throw badRequest("the admin role always keeps canAdminister", {
      "body.permissions.canAdminister": "cannot be taken away from admin",
    });
  }
  const role = await updateRolePermissions(ctx.db.knex, code, permissions);
  if (!role) {
    throw notFound("role");
  }
  await notifyAuthChange(ctx, EVICT_ALL);
  return role;
}
