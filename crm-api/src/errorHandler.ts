import type { ErrorBody } from "@okno/contracts";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError } from "./errors.ts";

// PostgreSQL error codes we translate (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_UNIQUE_VIOLATION = "23505";
const PG_FOREIGN_KEY_VIOLATION = "23503";
const PG_INVALID_TEXT = "22P02";
// A cursor or filter whose value is not a valid date/time (a forged or truncated cursor).
const PG_BAD_DATETIME = ["22007", "22008"];

type Body = ErrorBody["error"];

/** One place that turns anything thrown into `{ error: { code, message, fields? } }`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { code?: string; detail?: string }, req, reply) => {
    const { status, body } = toResponse(err);
    if (status >= 500) {
      req.log.error({ err }, "request failed");
    }
    return reply.status(status).send({ error: body });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send({ error: { code: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` } }),
  );
}

function toResponse(err: FastifyError & { code?: string; detail?: string }): { status: number; body: Body } {
  if (err instanceof AppError) {
    return { status: err.status, body: { code: err.code, message: err.message, fields: err.fields } };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string> = {};
    for (const v of err.validation) {
      const where = [err.validationContext, ...v.instancePath.split("/").filter(Boolean)].join(".");
      fields[where] = v.message ?? "invalid";
    }
    const list = Object.entries(fields).map(([k, m]) => `${k}: ${m}`);
    return { status: 400, body: { code: "invalid_request", message: list.join("; "), fields } };
  }
  if (err.code === PG_UNIQUE_VIOLATION) {
    return { status: 409, body: { code: "conflict", message: "a record with this value already exists" } };
  }
  if (err.code === PG_FOREIGN_KEY_VIOLATION) {
    return { status: 400, body: { code: "invalid_request", message: "a referenced record does not exist" } };
  }
  if (err.code !== undefined && PG_BAD_DATETIME.includes(err.code)) {
    return { status: 400, body: { code: "invalid_request", message: "malformed date or cursor" } };
  }
  if (err.code === PG_INVALID_TEXT) {
    return { status: 400, body: { code: "invalid_request", message: "malformed identifier" } };
  }
  if (err.statusCode === 413) {
    return { status: 413, body: { code: "payload_too_large", message: err.message } };
  }
  if (err.statusCode === 429) {
    return { status: 429, body: { code: "rate_limited", message: err.message } };
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, wrong content type, empty body.
    return { status: err.statusCode, body: { code: "invalid_request", message: err.message } };
  }
  return { status: 500, body: { code: "internal", message: "internal error" } };
}
