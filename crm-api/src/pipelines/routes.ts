import { Pipeline, PipelineCreate, PipelineList } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { principalOf, requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { listPipelines } from "./repo.ts";
import { createPipeline } from "./service.ts";

const tags = ["pipelines"];

export const pipelineRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    // Pipelines and stages are company settings, the same for every user: no record scope applies.
    app.get("/pipelines", { schema: { tags, response: { 200: PipelineList } } }, async (req) => {
      principalOf(req);
      return { items: await listPipelines(knex) };
    });

    app.post(
      "/pipelines",
      { schema: { tags, body: PipelineCreate, response: { 201: Pipeline } } },
      async (req, reply) => {
        requireAdmin(req);
        return reply.status(201).send(await createPipeline(knex, req.body));
      },
    );
  };
