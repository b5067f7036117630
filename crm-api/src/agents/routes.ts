import {
  AgentBoard,
  AgentState,
  AgentStatePut,
  AgentStateResult,
  CallEventBatchResult,
  CallHandover,
  CallHandoverResult,
  Id,
  SipCredentials,
  SipSecretPut,
  SoftphoneEventBatch,
  WrapUp,
  WrapUpResult,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import { principalOf, requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { agentBoard } from "./board.ts";
import { handOver } from "./handover.ts";
import { applyOnPbx } from "./pbx.ts";
import { sealSecret, sipCredentialsFor } from "./sip.ts";
import { applySoftphoneEvents } from "./softphone.ts";
import { readAgentState, setAgentState } from "./state.ts";
import { wrapUpCall } from "./wrapUp.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["agents"];

/** Softphone event batches per user and minute: a busy agent's calls, not a script's flood. */
const SOFTPHONE_RATE_LIMIT = 120;

export const agentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = ctx.db.knex;

    app.get("/me/sip", { schema: { tags, response: { 200: SipCredentials } } }, async (req, reply) => {
      void reply.header("cache-control", "no-store");
      return sipCredentialsFor(knex, ctx.config, principalOf(req));
    });

    app.put(
      "/users/:id/sip-secret",
      { schema: { tags, params: IdParams, body: SipSecretPut, response: { 204: z.null() } } },
      async (req, reply) => {
        const p = requireAdmin(req);
        const { secret } = req.body;
        const stored = secret === null ? null : sealSecret(secret, ctx.config.sip.secretKey);
        await knex.transaction(async (trx) => {
          if ((await trx("users").where("id", req.params.id).update({ sip_secret: stored })) === 0) {
            throw notFound("user");
          }
          // The secret itself never reaches the audit log: only that it was set or removed.
          await recordAudit(trx, actorOf(p), {
            entity: "users",
            recordId: req.params.id,
            action: "update",
            after: { sipSecret: secret === null ? "removed" : "set" },
          });
        });
        return reply.status(204).send(null);
      },
    );

    app.get("/agents/me/state", { schema: { tags, response: { 200: AgentState } } }, async (req) => {
      return (await readAgentState(knex, principalOf(req).userId))!;
    });

    app.put(
      "/agents/me/state",
      { schema: { tags, body: AgentStatePut, response: { 200: AgentStateResult } } },
      async (req) => {
        const p = principalOf(req);
        const { before, after, changed } = await knex.transaction((trx) =>
          setAgentState(trx, { userId: p.userId, ...req.body, cause: "user" }),
        );
        // The state stands whatever the PBX says: it is told after the commit.
        const pbx = changed
          ? await applyOnPbx(ctx.config, req.log, { extension: p.extension, before, after })
          : null;
        return { ...after, pbx };
      },
    );

    app.get("/agents/board", { schema: { tags, response: { 200: AgentBoard } } }, async (req) => ({
      items: await agentBoard(knex, principalOf(req)),
    }));

    app.post(
      "/calls/handover",
      { schema: { tags, body: CallHandover, response: { 200: CallHandoverResult } } },
      async (req) => handOver(knex, principalOf(req), req.body),
    );

    app.post(
      "/interactions/:id/wrap-up",
      { schema: { tags, params: IdParams, body: WrapUp, response: { 200: WrapUpResult } } },
      async (req) => wrapUpCall(knex, principalOf(req), req.params.id, req.body),
    );

    const softphoneLimit = app.createRateLimit({
      max: SOFTPHONE_RATE_LIMIT,
      timeWindow: 60_000,
      keyGenerator: (req) => `softphone:${req.principalOrNull?.userId ?? req.ip}`,
    });
    app.post(
      "/calls/softphone-events",
      {
        schema: { tags, body: SoftphoneEventBatch, response: { 200: CallEventBatchResult } },
        preHandler: async (req, reply) => {
          const limit = await softphoneLimit(req);
          if (!limit.isAllowed && limit.isExceeded) {
            void reply.header("retry-after", String(limit.ttlInSeconds));
            throw new AppError(429, "rate_limited", `at most ${SOFTPHONE_RATE_LIMIT} reports per minute`);
          }
        },
      },
      async (req) => applySoftphoneEvents(knex, principalOf(req), req.body.events),
    );
  };
