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
import { whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { applyFieldQuery } from "../fields/query.ts";
import { pageBy, timeSort } from "../listing.ts";
import { convertLead } from "./convert.ts";
import { selectLeads, toLead, whereLeadMatches, type LeadRow } from "./repo.ts";
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
      async (req) => {
        const p = principalOf(req);
        const { q, status, ownerId, sourceId, campaignId, sort, limit, cursor } = req.query;
        const query = whereInScope(selectLeads(knex), knex, p, "leads", "l.owner_id");
        if (q) {
          whereLeadMatches(query, q);
        }
        if (status) {
          query.where("l.status", status);
        }
        if (ownerId) {
          query.where("l.owner_id", ownerId);
        }
        if (sourceId) {
          query.where("l.source_id", sourceId);
        }
        if (campaignId) {
          query.where("l.campaign_id", campaignId);
        }
        const field = sort.replace("-", "") as "createdAt" | "updatedAt";
        const fieldSort = await applyFieldQuery<LeadRow>(
          knex,
          query,
          { entity: "leads", alias: "l" },
          req.query,
        );
        const order = fieldSort ?? timeSort<LeadRow>("l", field, sort.startsWith("-"));
        const page = await pageBy<LeadRow>(query, "l.id", order, limit, cursor);
        return { items: page.rows.map(toLead), nextCursor: page.nextCursor };
      },
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
