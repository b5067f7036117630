import { CallLogPage, CallLogQuery, MissedCallPage, MissedCallQuery } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { pageBy } from "../listing.ts";
import {
  callsNewestFirst,
  selectCalls,
  selectMissed,
  toCallLogItem,
  toMissedCall,
  whereCallFilters,
  type CallLogRow,
  type MissedRow,
} from "./repo.ts";

const tags = ["calls"];

export const callLogRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    // The calls journal, in the user's interactions scope (an agent sees their own calls).
    app.get(
      "/calls",
      { schema: { tags, querystring: CallLogQuery, response: { 200: CallLogPage } } },
      async (req) => {
        const query = whereInScope(selectCalls(knex), knex, principalOf(req), "interactions", "i.owner_id");
        whereCallFilters(query, req.query);
        const { limit, cursor } = req.query;
        const page = await pageBy<CallLogRow>(query, "i.id", callsNewestFirst, limit, cursor);
        return { items: page.rows.map(toCallLogItem), nextCursor: page.nextCursor };
      },
    );

    app.get(
      "/calls/missed",
      { schema: { tags, querystring: MissedCallQuery, response: { 200: MissedCallPage } } },
      async (req) => {
        const base = selectMissed(knex, req.query);
        const query = whereInScope(base, knex, principalOf(req), "interactions", "i.owner_id");
        const { limit, cursor } = req.query;
        const page = await pageBy<MissedRow>(query, "i.id", callsNewestFirst, limit, cursor);
        return { items: page.rows.map(toMissedCall), nextCursor: page.nextCursor };
      },
    );
  };
