import { Deal, DealCreate, DealListQuery, DealPage, DealUpdate, Id } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { listDeals } from "./list.ts";
import { createDeal, getDeal, removeDeal, updateDeal } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["deals"];

export const dealRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/deals",
      { schema: { tags, querystring: DealListQuery, response: { 200: DealPage } } },
      async (req) => listDeals(knex, principalOf(req), req.query),
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
