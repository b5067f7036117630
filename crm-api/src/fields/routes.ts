import {
  FieldDefinition,
  FieldDefinitionCreate,
  FieldDefinitionList,
  FieldDefinitionUpdate,
  FieldListQuery,
  FieldReorder,
  Id,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { listenForFieldChanges, loadDefinitions } from "./cache.ts";
import { createField, deleteField, reorderFields, updateField } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["fields"];

/**
 * Custom field definitions: every signed-in user reads them (forms and filters are built from them);
 * only administrators change them. Changes apply at once on every instance, without a restart.
 */
export const fieldRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;
    const unlisten = await listenForFieldChanges(db);
    app.addHook("onClose", () => unlisten());

    // Hidden fields are included, marked `isHidden`: forms skip them, filters and imports may still use them.
    app.get(
      "/fields",
      { schema: { tags, querystring: FieldListQuery, response: { 200: FieldDefinitionList } } },
      async (req) => {
        principalOf(req);
        return { items: await loadDefinitions(knex, req.query.entity) };
      },
    );

    app.post(
      "/fields",
      { schema: { tags, body: FieldDefinitionCreate, response: { 201: FieldDefinition } } },
      async (req, reply) => reply.status(201).send(await createField(knex, requireAdmin(req), req.body)),
    );

    app.patch(
      "/fields/:id",
      { schema: { tags, params: IdParams, body: FieldDefinitionUpdate, response: { 200: FieldDefinition } } },
      async (req) => updateField(knex, requireAdmin(req), req.params.id, req.body),
    );

    app.post(
      "/fields/reorder",
      { schema: { tags, body: FieldReorder, response: { 200: FieldDefinitionList } } },
      async (req) => ({ items: await reorderFields(knex, requireAdmin(req), req.body) }),
    );

    // Removes the field's values from every record too; their audit rows keep the old values.
    app.delete(
      "/fields/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await deleteField(knex, requireAdmin(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
