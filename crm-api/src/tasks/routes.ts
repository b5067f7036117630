import { Id, Task, TaskCreate, TaskListQuery, TaskPage, TaskUpdate } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { pageBy } from "../listing.ts";
import { selectTasks, taskSort, toTask, whereTaskFilters, type TaskRow } from "./repo.ts";
import { createTask, getTask, removeTask, updateTask } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["tasks"];

export const taskRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/tasks",
      { schema: { tags, querystring: TaskListQuery, response: { 200: TaskPage } } },
      async (req) => {
        const p = principalOf(req);
        const query = whereInScope(selectTasks(knex), knex, p, "tasks", "t.owner_id");
        whereTaskFilters(query, req.query);
        const { sort, limit, cursor } = req.query;
        const page = await pageBy<TaskRow>(query, "t.id", taskSort(sort), limit, cursor);
        return { items: page.rows.map(toTask), nextCursor: page.nextCursor };
      },
    );

    app.get("/tasks/:id", { schema: { tags, params: IdParams, response: { 200: Task } } }, async (req) =>
      getTask(knex, principalOf(req), req.params.id),
    );

    app.post("/tasks", { schema: { tags, body: TaskCreate, response: { 201: Task } } }, async (req, reply) =>
      reply.status(201).send(await createTask(knex, principalOf(req), req.body)),
    );

    app.patch(
      "/tasks/:id",
      { schema: { tags, params: IdParams, body: TaskUpdate, response: { 200: Task } } },
      async (req) => updateTask(knex, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      "/tasks/:id",
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await removeTask(knex, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
