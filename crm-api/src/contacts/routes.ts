import {
  Contact,
  ContactCreate,
  ContactListQuery,
  ContactLookup,
  ContactPage,
  ContactUpdate,
  Id,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { listContacts, lookupContact } from "./list.ts";
import { createContact, getContact, removeContact, updateContact } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["contacts"];

export const contactRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/contacts",
      { schema: { tags, querystring: ContactListQuery, response: { 200: ContactPage } } },
      async (req) => listContacts(knex, principalOf(req), req.query),
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
      async (req) => lookupContact(knex, principalOf(req), req.query.phone),
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
