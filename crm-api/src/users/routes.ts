import { Id, User, UserCreate, UserListItem, UserListQuery, UserPage, UserUpdate } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requestToken, requireAdmin } from "../auth/plugin.ts";
import { hashToken } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { pageBy, type SortKey } from "../listing.ts";
import {
  findUserRowById,
  selectUsers,
  toUser,
  toUserSummary,
  whereUsersMatch,
  type UserRow,
} from "./repo.ts";
import { notifyAuthChange } from "../auth/service.ts";
import { createUser, updateUser } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["users"];

// Plain column order (the database collation) keeps the cursor comparison and the ORDER BY in agreement.
const byName: SortKey<UserRow> = { expr: "u.full_name", desc: false, value: (r) => r.full_name };

/**
 * Every signed-in user may list colleagues (managers pick a responsible user), but only administrators
 * see logins, e-mails and phones.
 */
export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = ctx.db.knex;
    const present = (isAdmin: boolean) => (isAdmin ? toUser : toUserSummary);

    app.get(
      "/users",
      { schema: { tags, querystring: UserListQuery, response: { 200: UserPage } } },
      async (req) => {
        const isAdmin = principalOf(req).permissions.canAdminister;
        const { limit, cursor, ...filters } = req.query;
        const query = whereUsersMatch(selectUsers(knex), knex, filters, isAdmin);
        const page = await pageBy<UserRow>(query, "u.id", byName, limit, cursor);
        return { items: page.rows.map(present(isAdmin)), nextCursor: page.nextCursor };
      },
    );

    app.get(
      "/users/:id",
      { schema: { tags, params: IdParams, response: { 200: UserListItem } } },
      async (req) => {
        const isAdmin = principalOf(req).permissions.canAdminister;
        const row = await findUserRowById(knex, req.params.id);
        if (!row) {
          throw notFound("user");
        }
        return present(isAdmin)(row);
      },
    );

    app.post(
      "/users",
      { schema: { tags, body: UserCreate, response: { 201: User } } },
      async (req, reply) => {
        const actor = requireAdmin(req);
        const user = await createUser(knex, actor, req.body);
        // The CTI learns the new agent's extension on every instance (cti/directory.ts).
        await notifyAuthChange(ctx, `user:${user.id}`);
        return reply.status(201).send(user);
      },
    );

    app.patch(
      "/users/:id",
      { schema: { tags, params: IdParams, body: UserUpdate, response: { 200: User } } },
      async (req) => {
        const actor = requireAdmin(req);
        const token = requestToken(req);
        return updateUser(ctx, actor, req.params.id, req.body, token ? hashToken(token) : undefined);
      },
    );
  };
