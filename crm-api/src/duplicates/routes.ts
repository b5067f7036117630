import {
  Company,
  CompanyDuplicatePairPage,
  CompanyMerge,
  Contact,
  ContactCandidates,
  ContactDuplicatePairPage,
  ContactMerge,
  DuplicateCheck,
  DuplicateCheckQuery,
  DuplicatePairQuery,
  Id,
  PhoneAttach,
  PhoneAttachResult,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { badRequest } from "../errors.ts";
import { attachPhone } from "./attachPhone.ts";
import { checkDuplicates, findContactCandidates } from "./candidates.ts";
import { mergeCompanies, mergeContacts } from "./merge.ts";
import { dismissPair, listCompanyPairs, listContactPairs } from "./pairs.ts";

const tags = ["duplicates"];
const IdParams = z.strictObject({ id: Id });

/** Duplicate control: stored pairs from the nightly scan, live checks, merge and "attach this number". */
export const duplicateRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/duplicates/contacts",
      { schema: { tags, querystring: DuplicatePairQuery, response: { 200: ContactDuplicatePairPage } } },
      async (req) => listContactPairs(knex, principalOf(req), req.query),
    );

    app.get(
      "/duplicates/companies",
      { schema: { tags, querystring: DuplicatePairQuery, response: { 200: CompanyDuplicatePairPage } } },
      async (req) => listCompanyPairs(knex, principalOf(req), req.query),
    );

    app.post(
      "/duplicates/:pairId/dismiss",
      { schema: { tags, params: z.strictObject({ pairId: Id }), response: { 204: z.null() } } },
      async (req, reply) => {
        await dismissPair(knex, principalOf(req), req.params.pairId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/duplicates/check",
      { schema: { tags, querystring: DuplicateCheckQuery, response: { 200: DuplicateCheck } } },
      async (req) => {
        const { phone, email, inn, name } = req.query;
        if (!phone && !email && !inn && !name) {
          throw badRequest("give at least one of phone, email, inn, name", {
            querystring: "phone, email, inn or name is required",
          });
        }
        return checkDuplicates(knex, principalOf(req), req.query);
      },
    );

    app.get(
      "/contacts/:id/duplicates",
      { schema: { tags, params: IdParams, response: { 200: ContactCandidates } } },
      async (req) => findContactCandidates(knex, principalOf(req), req.params.id),
    );

    app.post(
      "/contacts/merge",
      { schema: { tags, body: ContactMerge, response: { 200: Contact } } },
      async (req) => mergeContacts(knex, principalOf(req), req.body),
    );

    app.post(
      "/companies/merge",
      { schema: { tags, body: CompanyMerge, response: { 200: Company } } },
      async (req) => mergeCompanies(knex, principalOf(req), req.body),
    );

    app.post(
      "/contacts/:id/phones/attach",
      { schema: { tags, params: IdParams, body: PhoneAttach, response: { 200: PhoneAttachResult } } },
      async (req) => attachPhone(knex, principalOf(req), req.params.id, req.body.phone),
    );
  };
