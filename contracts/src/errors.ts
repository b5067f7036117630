import { z } from "zod";

/** Stable error codes: the desktop and API clients branch on these, so never rename one. */
export const ErrorCode = z.enum([
  "invalid_request",
  "unauthorized",
  "invalid_credentials",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "payload_too_large",
  "internal",
  /** The PBX cannot do this (a transfer on Genesys, a supervisor snoop without ARI…). */
  "unsupported",
  /** The CTI bridge or the PBX refused or failed (HTTP 502). */
  "bad_gateway",
  /** The CTI bridge cannot be reached, or no PBX is configured (HTTP 503). */
  "unavailable",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every error response: `{ error: { code, message, fields? } }`; `fields` maps a path to its reason. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
