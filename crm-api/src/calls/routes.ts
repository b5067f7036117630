import {
  CallCommandResponse,
  OriginateRequest,
  SuperviseRequest,
  TransferRequest,
  type CtiCommand,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertRecordInScope } from "../access/scope.ts";
import { actorOf, recordAudit, type AuditAction } from "../audit/recordAudit.ts";
import { principalOf } from "../auth/plugin.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppContext } from "../context.ts";
import { forbidden, notFound } from "../errors.ts";
import {
  assertControlsCall,
  assertWatchesCall,
  extensionOf,
  isSupervisor,
  loadLiveCall,
  toDestination,
} from "./access.ts";
import { commandError, sendCommand } from "./bridgeClient.ts";

const tags = ["calls"];
/** "ast1:1795456775.0", "mango:MToxMDE2…": the callId of the call events, one path segment. */
const CallParams = z.strictObject({
  callId: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[a-z][a-z0-9_-]*:[^/\s]+$/, "must be <pbx>:<id>"),
});

/**
 * Call control for the agent desktop: crm-api checks who may do what, then the CTI bridge carries it
 * out on the PBX (ARCHITECTURE §1: the desktop never talks to a PBX API). Every command is audited
 * (entity "calls", record = callId, `meta.event` = the command), listening in especially.
 */
export const callRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = ctx.db.knex;

    /** Runs the command; a refusal by the PBX becomes the matching HTTP error; success is audited. */
    async function execute(
      p: Principal,
      cmd: CtiCommand,
      audit: { recordId?: string; action: AuditAction; meta: Record<string, unknown> },
    ): Promise<CallCommandResponse> {
      const result = await sendCommand(ctx.config, cmd);
      if (!result.ok) {
        throw commandError(result);
      }
      await recordAudit(knex, actorOf(p), {
        entity: "calls",
        recordId: audit.recordId ?? result.callId ?? "unknown",
        action: audit.action,
        // An update of a live call changes no stored field: the command itself is what the row records.
        ...(audit.action === "update" ? { after: { command: cmd.type, ...audit.meta } } : {}),
        meta: { event: cmd.type, ...audit.meta },
      });
      return result.callId ? { ok: true, callId: result.callId } : { ok: true };
    }

    app.post(
      "/calls/originate",
      { schema: { tags, body: OriginateRequest, response: { 200: CallCommandResponse } } },
      async (req) => {
        const p = principalOf(req);
        const agentExt = extensionOf(p);
        const to = toDestination(req.body.phone, "phone");
        const { contactId } = req.body;
        if (contactId) {
          await assertRecordInScope(knex, p, "contacts", "contacts", contactId, notFound("contact"));
        }
        return execute(
          p,
          { type: "call.originate", agentExt, to, ...(contactId ? { contactId } : {}) },
          { action: "create", meta: { agentExt, to, contactId: contactId ?? null } },
        );
      },
    );

    app.post(
      "/calls/:callId/transfer",
      { schema: { tags, params: CallParams, body: TransferRequest, response: { 200: CallCommandResponse } } },
      async (req) => {
        const p = principalOf(req);
        const { callId } = req.params;
        const to = toDestination(req.body.to, "to");
        const call = await loadLiveCall(knex, callId);
        const { legId, asParticipant } = await assertControlsCall(knex, p, call);
        return execute(
          p,
          { type: "call.transfer", callId, to, mode: req.body.mode, ...(legId ? { legId } : {}) },
          { recordId: callId, action: "update", meta: { to, mode: req.body.mode, asParticipant } },
        );
      },
    );

    app.post(
      "/calls/:callId/hangup",
      { schema: { tags, params: CallParams, response: { 200: CallCommandResponse } } },
      async (req) => {
        const p = principalOf(req);
        const { callId } = req.params;
        const call = await loadLiveCall(knex, callId);
        // A participant leaves with their own leg; a supervisor ends the whole call.
        const { legId, asParticipant } = await assertControlsCall(knex, p, call);
        return execute(
          p,
          { type: "call.hangup", callId, ...(legId ? { legId } : {}) },
          { recordId: callId, action: "update", meta: { legId: legId ?? null, asParticipant } },
        );
      },
    );

    app.post(
      "/calls/:callId/supervise",
      {
        schema: { tags, params: CallParams, body: SuperviseRequest, response: { 200: CallCommandResponse } },
      },
      async (req) => {
        const p = principalOf(req);
        if (!isSupervisor(p)) {
          throw forbidden("only supervisors and administrators may listen to calls");
        }
        const supervisorExt = extensionOf(p);
        const { callId } = req.params;
        const { mode } = req.body;
        const call = await loadLiveCall(knex, callId);
        await assertWatchesCall(knex, p, call);
        return execute(
          p,
          { type: "call.supervise", callId, supervisorExt, mode },
          {
            recordId: callId,
            action: "view",
            meta: { mode, supervisorExt, agentExt: call.lastAnswer?.ext ?? null },
          },
        );
      },
    );
  };
