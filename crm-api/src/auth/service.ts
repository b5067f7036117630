import type { Me } from "@okno/contracts";
import type { AppContext } from "../context.ts";
import { forgetDirectory } from "../cti/directory.ts";
import { AUTH_CHANNEL, EVICT_ALL } from "./plugin.ts";
import type { Principal } from "./principal.ts";

export function toMe(p: Principal): Me {
  return {
    id: p.userId,
    login: p.login,
    fullName: p.fullName,
    role: p.role,
    departmentId: p.departmentId,
    extension: p.extension,
    permissions: p.permissions,
  };
}

/**
 * Tells every instance (this one included, through its own LISTEN) to forget cached principals:
 * `target` is a token hash, `user:<id>` after a user's role, department or status changed, or
 * EVICT_ALL after a change to a role's permissions or to the department tree, `user:<id>` also after a
 * user is created (the CTI's directory of agents must learn the new extension).
 */
export async function notifyAuthChange(ctx: AppContext, target: string): Promise<void> {
  ctx.principalCache.evictToken(target);
  // The CTI's directory of agents listens on the same channel; this instance forgets it at once.
  if (target === EVICT_ALL || target.startsWith("user:")) {
    forgetDirectory(ctx.db.knex);
  }
  if (target === EVICT_ALL) {
    ctx.principalCache.clear();
  } else if (target.startsWith("user:")) {
    ctx.principalCache.evictUser(target.slice(5));
  }
  await ctx.db.knex.raw("select pg_notify(?, ?)", [AUTH_CHANNEL, target]);
}
