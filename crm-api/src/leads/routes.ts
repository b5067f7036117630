import {
  Id,
  Lead,
  LeadConversion,
  LeadConvert,
  LeadCreate,
  LeadListQuery,
  LeadPage,
  LeadUpdate,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { convertLead } from "./convert.ts";
import { listLeads } from "./list.ts";
import { createLead, getLead, removeLead, updateLead } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["leads"];

export const leadRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/leads",
      { schema: { tags, querystring: LeadListQuery, response: { 200: LeadPage } } },
      async (req) => listLeads(knex, principalOf(req), req.query),
    );

    app.get("/leads/:id", { schema: { tags, params: IdParams, response: { 200: Lead } } }, async (req) =>
      getLead(knex, principalOf(req), req.params.id),
    );

    app.post("/leads", { schema: { tags, body: LeadCreate, response: { 201: Lead } } }, async (req, reply) =>
      reply.status(201).send(await createLead(knex, principalOf(req), req.body)),
    );

    app.patch(
      "/leads/:id",
      { schema: { tags, params: IdParams, body: LeadUpdate, response: { 200: Lead } } },
      async (req) => updateLead(knex, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      "/leads/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await removeLead(knex, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/leads/:id/convert",
      { schema: { tags, params: IdParams, body: LeadConvert, response: { 201: LeadConversion } } },
      async (req, reply) =>
        reply.status(201).send(await convertLead(knex, principalOf(req), req.params.id, req.body)),
    );
  };
