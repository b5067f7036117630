import type { CallEvent } from "@okno/contracts";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { z } from "zod";
import {
  createMangoIngest,
  type IngestOutcome,
  type MangoIngest,
  type MangoIngestOptions,
} from "./ingest.ts";
import {
  CallPayload,
  CommandResultPayload,
  DtmfPayload,
  RecordAddedPayload,
  RecordingPayload,
  SummaryPayload,
} from "./payloads.ts";
import { checkMangoSign, readMangoForm, type MangoForm } from "./sign.ts";

export type MangoCommandResult = { command: string; commandId: string | null; result: number };

export type MangoWebhookStats = {
  received: number;
  /** Wrong key or signature: 403. */
  forbidden: number;
  /** No form fields, or `json` that is not JSON: 400. */
  malformed: number;
  /** JSON that does not match the event's schema: 400. */
  invalid: number;
  /** Signed events of a kind we do not handle (events/sms, events/record/tagged…): 200. */
  unknownKinds: number;
};

export type MangoWebhookOptions = {
  /** MANGO_API_KEY and MANGO_API_SALT: the product's key and the signing salt. */
  apiKey: string;
  apiSalt: string;
  /** The PBX connection id, the prefix of every callId ("mango"). */
  pbxId: string;
  onEvent: (event: CallEvent) => void | Promise<void>;
  log: Logger;
  /** Results of the commands we sent (result/callback, result/route…), 1000 = done. */
  onCommandResult?: (result: MangoCommandResult) => void;
  ingest?: Pick<MangoIngestOptions, "reorderWindowMs" | "closedTtlMs" | "idleTtlMs" | "now">;
  /** Hands over the running ingest and the webhook counters (stats, tests). */
  onReady?: (handle: { ingest: MangoIngest; stats: () => MangoWebhookStats }) => void;
};

const FORM = "application/x-www-form-urlencoded";
/** A call event is well under 2 KB; a limit keeps an unauthenticated sender from making us read megabytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * Mango Office's realtime webhooks (VPBX API v1.9 §3.1), mounted by the host at `/webhooks/mango` so
 * Mango's paths land as its document names them: /webhooks/mango/events/call and so on.
 *
 *   form body ─► key + sign over the raw `json` (403) ─► JSON.parse (400) ─► zod (400) ─► ingest ─► 200
 *
 * Every signed webhook we can read is answered 200, repeats, stale events and unknown kinds included
 * (Mango's retry policy is not documented, telephony.md §8, so nothing it cannot fix gets an error);
 * only what cannot be trusted (403) or read (400) is refused.
 */
export const mangoWebhooks: FastifyPluginAsync<MangoWebhookOptions> = async (app, options) => {
  const log = options.log.child({ module: "mango" });
  const ingest = createMangoIngest({
    ...options.ingest,
    pbxId: options.pbxId,
    onEvent: options.onEvent,
    log,
  });
  const stats: MangoWebhookStats = { received: 0, forbidden: 0, malformed: 0, invalid: 0, unknownKinds: 0 };
  app.addHook("onClose", async () => ingest.close());

  // Only this scope: keep the body as the exact string Mango sent, the sign is over its `json` field.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: "string", bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    done(null, body);
  });

  function route<S extends z.ZodType>(
    path: string,
    schema: S,
    handle: (data: z.output<S>) => IngestOutcome | void,
  ) {
    app.post(`/${path}`, async (req, reply) => {
      const form = await authenticate(req, reply);
      const data = form && (await parse(form, schema, path, reply));
      if (data) {
        log.debug({ path, outcome: handle(data.value) }, "mango webhook");
        await reply.code(200).send();
      }
    });
  }

  /** The form fields of a webhook signed with our key and salt; on failure the reply is already sent. */
  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<MangoForm | null> {
    stats.received += 1;
    const form = typeof req.body === "string" ? readMangoForm(req.body) : null;
    if (form === null) {
      stats.malformed += 1;
      log.warn({ path: req.url }, "mango webhook without its form fields");
      await reply.code(400).send(error("invalid_request", "expected vpbx_api_key, sign and json"));
      return null;
    }
    const check = checkMangoSign(form, options.apiKey, options.apiSalt);
    if (check !== "ok") {
      // Never the payload: it carries customers' numbers, and a forger's text is not worth keeping.
      stats.forbidden += 1;
      log.warn({ path: req.url, reason: check, ip: req.ip }, "mango webhook refused");
      await reply.code(403).send(error("forbidden", "bad key or signature"));
      return null;
    }
    return form;
  }

  async function parse<S extends z.ZodType>(
    form: MangoForm,
    schema: S,
    path: string,
    reply: FastifyReply,
  ): Promise<{ value: z.output<S> } | null> {
    let json: unknown;
    try {
      json = JSON.parse(form.json);
    } catch {
      stats.malformed += 1;
      log.warn({ path, length: form.json.length }, "mango webhook json malformed");
      await reply.code(400).send(error("invalid_request", "json is not valid JSON"));
      return null;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      stats.invalid += 1;
      const fields = Object.fromEntries(
        parsed.error.issues.map((i) => [["json", ...i.path].join("."), i.message]),
      );
      log.warn({ path, fields: Object.keys(fields) }, "mango webhook does not match its schema");
      await reply.code(400).send(error("invalid_request", "json does not match the event", fields));
      return null;
    }
    return { value: parsed.data };
  }

  route("events/call", CallPayload, (p) => ingest.handleCall(p));
  route("events/summary", SummaryPayload, (p) => ingest.handleSummary(p));
  route("events/recording", RecordingPayload, (p) => ingest.handleRecording(p));
  route("events/record/added", RecordAddedPayload, (p) => ingest.handleRecordAdded(p));
  route("events/dtmf", DtmfPayload, (p) => ingest.handleDtmf(p));

  // result/callback, result/route, result/recording/start…: the outcome of a command we sent.
  app.post("/result/*", async (req, reply) => {
    const command = (req.params as { "*": string })["*"];
    const form = await authenticate(req, reply);
    const data = form && (await parse(form, CommandResultPayload, `result/${command}`, reply));
    if (data) {
      const result = { command, commandId: data.value.command_id, result: data.value.result };
      if (result.result === 1000) {
        log.info(result, "mango command result");
      } else {
        log.warn(result, "mango command failed");
      }
      options.onCommandResult?.(result);
      await reply.code(200).send();
    }
  });

  // Signed events we have no use for yet (events/sms, events/record/tagged, …): acknowledged and logged.
  app.post("/events/*", async (req, reply) => {
    if (await authenticate(req, reply)) {
      stats.unknownKinds += 1;
      log.info({ path: req.url }, "mango event of an unknown kind");
      await reply.code(200).send();
    }
  });

  options.onReady?.({ ingest, stats: () => ({ ...stats }) });
};

function error(code: string, message: string, fields?: Record<string, string>) {
  return { error: fields ? { code, message, fields } : { code, message } };
}
