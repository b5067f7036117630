import {
  Contact,
  ContactCreate,
  ContactListQuery,
  ContactLookup,
  ContactPage,
  ContactUpdate,
  Id,
  normalizePhone,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { canSee, whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { badRequest } from "../errors.ts";
import { pageBy, timeSort, type SortKey } from "../listing.ts";
import { findContactRowByPhone, selectContacts, toContact, whereMatches, type ContactRow } from "./repo.ts";
import { createContact, getContact, removeContact, updateContact } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["contacts"];

function contactSort(sort: z.infer<typeof ContactListQuery>["sort"]): SortKey<ContactRow> {
  const desc = sort.startsWith("-");
  const field = sort.replace("-", "") as "name" | "createdAt" | "updatedAt";
  if (field === "name") {
    return { expr: "lower(c.full_name)", desc, value: (r) => r.full_name.toLowerCase() };
  }
  return timeSort<ContactRow>("c", field, desc);
}

export const contactRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/contacts",
      { schema: { tags, querystring: ContactListQuery, response: { 200: ContactPage } } },
      async (req) => {
        const p = principalOf(req);
        const { q, ownerId, companyId, sourceId, createdFrom, createdTo, sort, limit, cursor } = req.query;
        const query = whereInScope(selectContacts(knex), knex, p, "contacts", "c.owner_id");
        if (q) {
          whereMatches(query, knex, q);
        }
        if (ownerId) {
          query.where("c.owner_id", ownerId);
        }
        if (sourceId) {
          query.where("c.source_id", sourceId);
        }
        if (companyId) {
          query.whereIn(
            "c.id",
            knex("contact_companies").where("company_id", companyId).select("contact_id"),
          );
        }
        if (createdFrom) {
          query.where("c.created_at", ">=", createdFrom);
        }
        if (createdTo) {
          query.where("c.created_at", "<", createdTo);
        }
        const page = await pageBy<ContactRow>(query, "c.id", contactSort(sort), limit, cursor);
        return { items: page.rows.map(toContact), nextCursor: page.nextCursor };
      },
    );

    // Caller identification: the screen-pop hot path. One indexed query, scope checked in memory.
    app.get(
      "/contacts/lookup",
      {
        schema: {
          tags,
          querystring: z.strictObject({ phone: z.string().min(1).max(40) }),
          response: { 200: ContactLookup },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const e164 = normalizePhone(req.query.phone);
        if (!e164) {
          throw badRequest("not a valid phone number", { "querystring.phone": "not a valid phone number" });
        }
        const row = await findContactRowByPhone(knex, e164);
        if (!row) {
          return { phone: e164, contact: null, hidden: false, ownerName: null };
        }
        if (!canSee(p, "contacts", { userId: row.owner_id, departmentPath: row.owner_path })) {
          return { phone: e164, contact: null, hidden: true, ownerName: row.owner_name };
        }
        return { phone: e164, contact: toContact(row), hidden: false, ownerName: row.owner_name };
      },
    );

    app.get(
      "/contacts/:id",
      { schema: { tags, params: IdParams, response: { 200: Contact } } },
      async (req) => getContact(knex, principalOf(req), req.params.id),
    );

    app.post(
      "/contacts",
      { schema: { tags, body: ContactCreate, response: { 201: Contact } } },
      async (req, reply) => reply.status(201).send(await createContact(knex, principalOf(req), req.body)),
    );

    app.patch(
      "/contacts/:id",
      { schema: { tags, params: IdParams, body: ContactUpdate, response: { 200: Contact } } },
      async (req) => updateContact(knex, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      "/contacts/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await removeContact(knex, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
