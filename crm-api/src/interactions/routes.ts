import {
  Id,
  Interaction,
  InteractionCreate,
  InteractionListQuery,
  InteractionPage,
  TimelineQuery,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { pageBy } from "../listing.ts";
import {
  newestFirst,
  selectInteractions,
  toInteraction,
  whereInteractionFilters,
  type InteractionRow,
  type TimelineParent,
} from "./repo.ts";
import { createInteraction, listTimeline } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["interactions"];
const TIMELINES: TimelineParent[] = ["contacts", "companies", "deals"];

export const interactionRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    // The journal: calls, e-mails, notes across records, limited by the interactions scope.
    app.get(
      "/interactions",
      { schema: { tags, querystring: InteractionListQuery, response: { 200: InteractionPage } } },
      async (req) => {
        const p = principalOf(req);
        const query = whereInScope(selectInteractions(knex), knex, p, "interactions", "i.owner_id");
        whereInteractionFilters(query, req.query);
        const page = await pageBy<InteractionRow>(
          query,
          "i.id",
          newestFirst,
          req.query.limit,
          req.query.cursor,
        );
        return { items: page.rows.map(toInteraction), nextCursor: page.nextCursor };
      },
    );

    app.post(
      "/interactions",
      { schema: { tags, body: InteractionCreate, response: { 201: Interaction } } },
      async (req, reply) => reply.status(201).send(await createInteraction(knex, principalOf(req), req.body)),
    );

    for (const parent of TIMELINES) {
      app.get(
        `/${parent}/:id/timeline`,
        {
          schema: { tags, params: IdParams, querystring: TimelineQuery, response: { 200: InteractionPage } },
        },
        async (req) => listTimeline(knex, principalOf(req), parent, req.params.id, req.query),
      );
    }
  };
