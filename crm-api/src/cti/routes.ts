import {
  CallEventBatch,
  CallEventBatchResult,
  CtiQueue,
  CtiQueuePut,
  CtiSettings,
  CtiSettingsUpdate,
  TrackingLease,
  TrackingLeaseRequest,
} from "@okno/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import { requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { badRequest, forbidden, notFound, unauthorized } from "../errors.ts";
import { startPruning } from "./prune.ts";
import { applyBatch, CALLS_IN_FLIGHT } from "./batch.ts";
import { announceDirectoryChange, listenForDirectoryChanges } from "./directory.ts";
import { deleteQueue, listQueues, putQueue, readCtiSettings, writeCtiSettings } from "./settings.ts";
import { bearerOf, isSameSecret } from "./token.ts";
import { leaseTrackingNumber } from "./tracking.ts";

const QueueParams = z.strictObject({ name: z.string().trim().min(1).max(100) });
const tags = ["cti"];

/** Requests per minute and address a website may make for numbers: enough for a busy office NAT. */
const LEASE_RATE_LIMIT = 60;

/**
 * The bridge authenticates with `CTI_TOKEN` (config), not with a user's API token: the bridge is not a
 * user, holds no scope, and must keep working when users are deactivated or their tokens revoked. The
 * secret lives only in the environment of the two services (the one-process launcher generates it), is
 * compared in constant time, and without it configured the route refuses everything.
 */
export function assertBridge(expected: string | undefined, req: FastifyRequest): void {
  if (!expected) {
    throw forbidden("CTI is not enabled on this server (CTI_TOKEN is not set)");
  }
  const presented = bearerOf(req.headers.authorization);
  if (!presented || !isSameSecret(presented, expected)) {
    throw unauthorized("invalid CTI token");
  }
}

async function assertActiveUsers(
  ctx: AppContext,
  ids: (string | null | undefined)[],
  field: (i: number) => string,
) {
  const wanted = ids.filter((id): id is string => typeof id === "string");
  if (wanted.length === 0) {
    return;
  }
  const found = new Set(
    (await ctx.db.knex("users").whereIn("id", wanted).andWhere("is_active", true).pluck("id")) as string[],
  );
  const fields: Record<string, string> = {};
  ids.forEach((id, i) => {
    if (typeof id === "string" && !found.has(id)) {
      fields[field(i)] = "no such active user";
    }
  });
  if (Object.keys(fields).length > 0) {
    throw badRequest("unknown user", fields);
  }
}

export const ctiRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = ctx.db.knex;
    const stopPruning = startPruning(knex, ctx.log.child({ module: "cti" }));
    app.addHook("onClose", async () => stopPruning());
    const unlisten = await listenForDirectoryChanges(ctx.db);
    app.addHook("onClose", () => unlisten());

    app.post(
      "/cti/events",
      {
        config: { public: true },
        // Checked before the body is parsed: a caller without the token learns nothing about the schema.
        onRequest: async (req) => assertBridge(ctx.config.cti.token, req),
        schema: { tags, body: CallEventBatch, response: { 200: CallEventBatchResult } },
      },
      async (req) => applyBatch(knex, req.body.events, ctx.db.kind === "postgres" ? CALLS_IN_FLIGHT : 1),
    );

    app.get("/cti/settings", { schema: { tags, response: { 200: CtiSettings } } }, async (req) => {
      requireAdmin(req);
      return readCtiSettings(knex);
    });

    app.patch(
      "/cti/settings",
      { schema: { tags, body: CtiSettingsUpdate, response: { 200: CtiSettings } } },
      async (req) => {
        const p = requireAdmin(req);
        await assertActiveUsers(ctx, [req.body.defaultOwnerId], () => "body.defaultOwnerId");
        const after = await knex.transaction(async (trx) => {
          const before = await readCtiSettings(trx);
          await writeCtiSettings(trx, req.body);
          const after = await readCtiSettings(trx);
          await recordAudit(trx, actorOf(p), {
            entity: "settings",
            recordId: "cti",
            action: "update",
            before,
            after,
          });
          return after;
        });
        await announceDirectoryChange(knex);
        return after;
      },
    );

    app.get("/cti/queues", { schema: { tags, response: { 200: z.array(CtiQueue) } } }, async (req) => {
      requireAdmin(req);
      return listQueues(knex);
    });

    app.put(
      "/cti/queues/:name",
      { schema: { tags, params: QueueParams, body: CtiQueuePut, response: { 200: CtiQueue } } },
      async (req) => {
        const p = requireAdmin(req);
        const { supervisorId, memberIds } = req.body;
        await assertActiveUsers(ctx, [supervisorId], () => "body.supervisorId");
        await assertActiveUsers(ctx, memberIds, (i) => `body.memberIds.${i}`);
        await knex.transaction(async (trx) => {
          await putQueue(trx, req.params.name, req.body);
          await recordAudit(trx, actorOf(p), {
            entity: "cti_queues",
            recordId: req.params.name,
            action: "update",
            after: { supervisorId, memberIds },
          });
        });
        await announceDirectoryChange(knex);
        const queue = (await listQueues(knex)).find((q) => q.name === req.params.name);
        return queue!;
      },
    );

    app.delete("/cti/queues/:name", { schema: { tags, params: QueueParams } }, async (req, reply) => {
      requireAdmin(req);
      if ((await deleteQueue(knex, req.params.name)) === 0) {
        throw notFound("queue");
      }
      await announceDirectoryChange(knex);
      return reply.status(204).send();
    });

    // Called from the website's pages, so it answers any origin (no cookies are involved).
    app.options("/calltracking/lease", { config: { public: true } }, async (_req, reply) =>
      reply
        .headers({
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "POST",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": "86400",
        })
        .status(204)
        .send(),
    );
    app.post(
      "/calltracking/lease",
      {
        config: { public: true, rateLimit: { max: LEASE_RATE_LIMIT, timeWindow: "1 minute" } },
        onSend: async (_req, reply) => {
          void reply.header("access-control-allow-origin", "*");
        },
        schema: { tags, body: TrackingLeaseRequest, response: { 200: TrackingLease } },
      },
      async (req) => leaseTrackingNumber(knex, req.body),
    );
  };
