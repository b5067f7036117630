import { Department, DepartmentCreate, DepartmentUpdate, Id } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { createDepartment, listDepartments, removeDepartment, updateDepartment } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["departments"];

/** The company tree: every signed-in user reads it, administrators change it. */
export const departmentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = ctx.db.knex;

    app.get("/departments", { schema: { tags, response: { 200: z.array(Department) } } }, async () =>
      listDepartments(knex),
    );

    app.post(
      "/departments",
      { schema: { tags, body: DepartmentCreate, response: { 201: Department } } },
      async (req, reply) => {
        const actor = requireAdmin(req);
        return reply.status(201).send(await createDepartment(knex, actor, req.body));
      },
    );

    app.patch(
      "/departments/:id",
      { schema: { tags, params: IdParams, body: DepartmentUpdate, response: { 200: Department } } },
      async (req) => {
        const actor = requireAdmin(req);
        return updateDepartment(ctx, actor, req.params.id, req.body);
      },
    );

    app.delete(
      "/departments/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        const actor = requireAdmin(req);
        await removeDepartment(knex, actor, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
