import { Deal, DealCreate, DealListQuery, DealPage, DealUpdate, Id } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { applyFieldQuery } from "../fields/query.ts";
import { pageBy, timeSort, type SortKey } from "../listing.ts";
import { selectDeals, toDeal, whereDealMatches, type DealRow } from "./repo.ts";
import { createDeal, getDeal, removeDeal, updateDeal } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["deals"];

function dealSort(sort: z.infer<typeof DealListQuery>["sort"]): SortKey<DealRow> {
  const desc = sort.startsWith("-");
  const field = sort.replace("-", "") as "amount" | "createdAt" | "updatedAt";
  if (field === "amount") {
    return { expr: "d.amount", desc, value: (r) => Number(r.amount) };
  }
  return timeSort<DealRow>("d", field, desc);
}

// Filters that are plain equality on a deal column.
const EQUALITY_FILTERS = {
  pipelineId: "d.pipeline_id",
  stageId: "d.stage_id",
  ownerId: "d.owner_id",
  companyId: "d.company_id",
  contactId: "d.contact_id",
} as const;

export const dealRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/deals",
      { schema: { tags, querystring: DealListQuery, response: { 200: DealPage } } },
      async (req) => {
        const p = principalOf(req);
        const query = whereInScope(selectDeals(knex), knex, p, "deals", "d.owner_id");
        if (req.query.q) {
          whereDealMatches(query, req.query.q);
        }
        for (const [param, column] of Object.entries(EQUALITY_FILTERS)) {
          const value = req.query[param as keyof typeof EQUALITY_FILTERS];
          if (value) {
            query.where(column, value);
          }
        }
        const { sort, limit, cursor } = req.query;
        const fieldSort = await applyFieldQuery<DealRow>(
          knex,
          query,
          { entity: "deals", alias: "d" },
          req.query,
        );
        const page = await pageBy<DealRow>(query, "d.id", fieldSort ?? dealSort(sort), limit, cursor);
        return { items: page.rows.map(toDeal), nextCursor: page.nextCursor };
      },
    );

    app.get("/deals/:id", { schema: { tags, params: IdParams, response: { 200: Deal } } }, async (req) =>
      getDeal(knex, principalOf(req), req.params.id),
    );

    app.post("/deals", { schema: { tags, body: DealCreate, response: { 201: Deal } } }, async (req, reply) =>
      reply.status(201).send(await createDeal(knex, principalOf(req), req.body)),
    );

    app.patch(
      "/deals/:id",
      { schema: { tags, params: IdParams, body: DealUpdate, response: { 200: Deal } } },
      async (req) => updateDeal(knex, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      "/deals/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await removeDeal(knex, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
