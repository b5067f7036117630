import { Id } from "@okno/contracts";
import {
  AssignmentList,
  ResolveQuery,
  ResolvedScript,
  ScriptCreate,
  ScriptDetail,
  ScriptRun,
  ScriptRunInput,
  ScriptSummary,
  ScriptUpdate,
  ScriptVersion,
} from "@okno/scripts-kb";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { resolveScript } from "./resolve.ts";
import { listScriptRuns, saveScriptRun } from "./runs.ts";
import {
  createScript,
  getScript,
  getVersion,
  listScripts,
  publishScript,
  setAssignments,
  updateScript,
} from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["scripts"];

/**
 * Call scripts: supervisors and administrators edit drafts, publish versions and assign scripts; every
 * agent resolves the script of a call, opens any published version and saves what they did in it.
 */
export const scriptRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/scripts",
      { schema: { tags, response: { 200: z.object({ items: z.array(ScriptSummary) }) } } },
      async (req) => ({ items: await listScripts(knex, principalOf(req)) }),
    );
    app.get(
      "/scripts/resolve",
      { schema: { tags, querystring: ResolveQuery, response: { 200: ResolvedScript } } },
      async (req) => resolveScript(knex, principalOf(req), req.query),
    );
    app.get(
      "/scripts/versions/:id",
      { schema: { tags, params: IdParams, response: { 200: ScriptVersion } } },
      async (req) => {
        principalOf(req);
        return getVersion(knex, req.params.id);
      },
    );
    app.post(
      "/scripts",
      { schema: { tags, body: ScriptCreate, response: { 201: ScriptDetail } } },
      async (req, reply) => reply.status(201).send(await createScript(knex, principalOf(req), req.body)),
    );
    app.get(
      "/scripts/:id",
      { schema: { tags, params: IdParams, response: { 200: ScriptDetail } } },
      async (req) => getScript(knex, principalOf(req), req.params.id),
    );
    app.patch(
      "/scripts/:id",
      { schema: { tags, params: IdParams, body: ScriptUpdate, response: { 200: ScriptDetail } } },
      async (req) => updateScript(knex, principalOf(req), req.params.id, req.body),
    );
    app.post(
      "/scripts/:id/publish",
      { schema: { tags, params: IdParams, response: { 201: ScriptVersion } } },
      async (req, reply) =>
        reply.status(201).send(await publishScript(knex, principalOf(req), req.params.id)),
    );
    app.put(
      "/scripts/:id/assignments",
      { schema: { tags, params: IdParams, body: AssignmentList, response: { 200: ScriptSummary } } },
      async (req) => setAssignments(knex, principalOf(req), req.params.id, req.body.items),
    );

    app.post(
      "/interactions/:id/script-run",
      { schema: { tags, params: IdParams, body: ScriptRunInput, response: { 201: ScriptRun } } },
      async (req, reply) =>
        reply.status(201).send(await saveScriptRun(knex, principalOf(req), req.params.id, req.body)),
    );
    app.get(
      "/interactions/:id/script-runs",
      { schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(ScriptRun) }) } } },
      async (req) => ({ items: await listScriptRuns(knex, principalOf(req), req.params.id) }),
    );
  };
