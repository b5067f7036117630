import { Role, RoleCode, RoleUpdate } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { listRoles } from "./repo.ts";
import { changeRolePermissions } from "./service.ts";

const tags = ["roles"];

/** The permission matrix (docs/permissions.md): readable by every signed-in user, editable by admins. */
export const roleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get("/roles", { schema: { tags, response: { 200: z.array(Role) } } }, async () =>
      listRoles(ctx.db.knex),
    );

    app.patch(
      "/roles/:code",
      {
        schema: {
          tags,
          params: z.strictObject({ code: RoleCode }),
          body: RoleUpdate,
          response: { 200: Role },
        },
      },
      async (req) => {
        const actor = requireAdmin(req);
        return changeRolePermissions(ctx, actor, req.params.code, req.body.permissions);
      },
    );
  };
