import { CtiCommand, type CtiCommandResult } from "@okno/contracts";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { dispatchCommand, pbxOf, type CommandTargets } from "./dispatch.ts";
import { bearerOf, isSameSecret } from "./token.ts";

export type CommandRoutesOptions = {
  /** CTI_TOKEN: crm-api presents it as a bearer token, as the bridge does towards crm-api. */
  token: string;
  targets: CommandTargets;
  log: Logger;
};

/** A command is a few hundred bytes; the limit keeps an unauthenticated sender from making us read more. */
const BODY_LIMIT = 16 * 1024;

const error = (code: string, message: string, fields?: Record<string, string>) => ({
  error: { code, message, ...(fields ? { fields } : {}) },
});

/**
 * POST /commands (mounted at /bridge): crm-api's commands to the PBX (contracts/src/commands.ts).
 *
 *   bearer CTI_TOKEN (401 without, 403 wrong) ─► zod CtiCommand (400 naming the field) ─► dispatch by PBX
 *   ─► 200 with the CtiCommandResult, a refusal by the PBX included ({ ok: false, code, message })
 *
 * Validation is done here rather than by a route schema, so the plugin behaves the same on crm-api's
 * server (one-process launcher) and on the bridge's own (run alone), whatever their compilers.
 */
export const commandRoutes: FastifyPluginAsync<CommandRoutesOptions> = async (app, options) => {
  const log = options.log.child({ module: "commands" });

  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const presented = bearerOf(req.headers.authorization);
    if (!presented) {
      await reply.code(401).send(error("unauthorized", "CTI token required"));
      return false;
    }
    if (!isSameSecret(presented, options.token)) {
      log.warn({ ip: req.ip }, "command refused: wrong token");
      await reply.code(403).send(error("forbidden", "invalid CTI token"));
      return false;
    }
    return true;
  }

  app.post("/commands", { bodyLimit: BODY_LIMIT }, async (req, reply) => {
    if (!(await authenticate(req, reply))) {
      return reply;
    }
    const parsed = CtiCommand.safeParse(req.body);
    if (!parsed.success) {
      const fields = Object.fromEntries(
        parsed.error.issues.map((issue) => [["body", ...issue.path].join("."), issue.message]),
      );
      const message = Object.entries(fields)
        .map(([field, reason]) => `${field}: ${reason}`)
        .join("; ");
      return reply.code(400).send(error("invalid_request", message, fields));
    }
    const cmd = parsed.data;
    const result: CtiCommandResult = await dispatchCommand(options.targets, cmd);
    // No numbers in the log: the callId and the outcome say what happened.
    const entry = {
      command: cmd.type,
      pbx: pbxOf(options.targets, cmd),
      callId: "callId" in cmd ? cmd.callId : result.ok ? result.callId : undefined,
      ...(result.ok ? {} : { code: result.code, reason: result.message }),
    };
    if (result.ok) {
      log.info(entry, "command carried out");
    } else {
      log.warn(entry, "command failed");
    }
    return reply.code(200).send(result);
  });
};
