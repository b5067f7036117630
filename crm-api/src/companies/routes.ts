import {
  Company,
  CompanyContactsQuery,
  CompanyCreate,
  CompanyListQuery,
  CompanyPage,
  CompanyUpdate,
  ContactPage,
  Id,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertRecordInScope, whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import { selectContacts, toContact, type ContactRow } from "../contacts/repo.ts";
import type { AppContext } from "../context.ts";
import { pageBy, type SortKey } from "../listing.ts";
import { listCompanies } from "./list.ts";
import { companyNotFound, createCompany, getCompany, removeCompany, updateCompany } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["companies"];

const contactNameSort: SortKey<ContactRow & { sort_name: string }> = {
  expr: "lower(c.full_name)",
  desc: false,
  value: (r) => r.sort_name,
};

export const companyRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/companies",
      { schema: { tags, querystring: CompanyListQuery, response: { 200: CompanyPage } } },
      async (req) => listCompanies(knex, principalOf(req), req.query),
    );

    app.get(
      "/companies/:id",
      { schema: { tags, params: IdParams, response: { 200: Company } } },
      async (req) => getCompany(knex, principalOf(req), req.params.id),
    );

    // The people who work at a company, as far as the user may see them: the company must be in the
    // user's scope, and each contact in the contacts scope (a colleague's client stays hidden).
    app.get(
      "/companies/:id/contacts",
      {
        schema: { tags, params: IdParams, querystring: CompanyContactsQuery, response: { 200: ContactPage } },
      },
      async (req) => {
        const p = principalOf(req);
        await assertRecordInScope(knex, p, "companies", "companies", req.params.id, companyNotFound());
        const query = whereInScope(selectContacts(knex), knex, p, "contacts", "c.owner_id")
          .select(knex.raw("lower(c.full_name) as sort_name"))
          .whereIn("c.id", knex("contact_companies").where("company_id", req.params.id).select("contact_id"));
        const page = await pageBy(query, "c.id", contactNameSort, req.query.limit, req.query.cursor);
        return { items: page.rows.map(toContact), nextCursor: page.nextCursor };
      },
    );

    app.post(
      "/companies",
      { schema: { tags, body: CompanyCreate, response: { 201: Company } } },
      async (req, reply) => reply.status(201).send(await createCompany(knex, principalOf(req), req.body)),
    );

    app.patch(
      "/companies/:id",
      { schema: { tags, params: IdParams, body: CompanyUpdate, response: { 200: Company } } },
      async (req) => updateCompany(knex, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      "/companies/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await removeCompany(knex, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
