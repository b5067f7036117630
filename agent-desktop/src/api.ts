import { ErrorBody, type ErrorCode } from "@okno/contracts";
import { notifications } from "@mantine/notifications";
import { config } from "./config.ts";
import { i18n } from "./i18n/i18n.ts";

/** An answer other than 2xx, or no answer at all (`status` 0, `code` "network"). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "network",
    message: string,
    /** The server's reason per field ("body.phones.0.phone": "not a valid phone number"). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A zod schema from @okno/contracts, or anything else that checks a value. */
export interface Parser<T> {
  parse: (data: unknown) => T;
}

export interface RequestOptions<T> {
  body?: unknown;
  /** Parse the answer with this schema (cheap for single records; lists may skip it). */
  schema?: Parser<T>;
  /** Do not show a notification on failure: the caller shows the error itself (forms, login). */
  quiet?: boolean;
  signal?: AbortSignal;
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => undefined;

/** The auth store hears about an expired session from any request, without api.ts importing it. */
export function setUnauthorizedHandler(handler: Unauthorized): void {
  onUnauthorized = handler;
}

/** One request to crm-api with the session cookie; errors become ApiError and, unless quiet, a notification. */
export async function api<T = unknown>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  options: RequestOptions<T> = {},
): Promise<T> {
  try {
    const response = await send(method, path, options);
    if (response.status === 204) {
      return undefined as T;
    }
    const data: unknown = await response.json();
    return options.schema ? options.schema.parse(data) : (data as T);
  } catch (err) {
    if (isAbort(err)) {
      throw err;
    }
    const error = toApiError(err);
    if (error.status === 401 && !path.startsWith("/auth/")) {
      onUnauthorized();
    } else if (!options.quiet) {
      showError(error);
    }
    throw error;
  }
}

async function send(method: string, path: string, options: RequestOptions<unknown>): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}${path}`, {
      method,
      credentials: "same-origin",
      headers: options.body === undefined ? {} : { "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (isAbort(err)) {
      throw err;
    }
    throw new ApiError(0, "network", i18n.t("errors.network"));
  }
  if (!response.ok) {
    throw await errorOf(response);
  }
  return response;
}

async function errorOf(response: Response): Promise<ApiError> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    return new ApiError(response.status, "internal", `HTTP ${response.status}`);
  }
  const { code, message, fields } = parsed.data.error;
  return new ApiError(response.status, code, message, fields);
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) {
    return err;
  }
  return new ApiError(0, "internal", err instanceof Error ? err.message : String(err));
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}

/** The server's own words: field reasons when it gave them, else its message, else a generic line. */
export function describeError(error: ApiError): string {
  const fields = Object.entries(error.fields);
  if (fields.length > 0) {
    return fields.map(([field, reason]) => `${field.replace(/^body\./, "")}: ${reason}`).join("\n");
  }
  switch (error.code) {
    case "network":
      return i18n.t("errors.network");
    case "forbidden":
      return error.message || i18n.t("errors.forbidden");
    case "not_found":
      return i18n.t("errors.notFound");
    case "rate_limited":
      return i18n.t("errors.rateLimited");
    case "internal":
      return i18n.t("errors.generic");
    case "invalid_request":
    case "invalid_credentials":
    case "unauthorized":
    case "conflict":
    case "payload_too_large":
    case "unsupported":
    case "bad_gateway":
    case "unavailable":
      return error.message;
  }
}

function showError(error: ApiError): void {
  notifications.show({ color: "red", title: i18n.t("errors.title"), message: describeError(error) });
}

/**
 * The server's reasons by form field path ("body.phones.0.phone" → "phones.0.phone"). Under "": the
 * message when no field was named, else the reasons for nested paths in one text, so a form that shows
 * only its simple fields inline still shows everything.
 */
export function fieldErrors(err: ApiError): Record<string, string> {
  const out: Record<string, string> = {};
  const nested: string[] = [];
  for (const [path, reason] of Object.entries(err.fields)) {
    const field = path.replace(/^body\./, "");
    out[field] = reason;
    if (!/^\w+$/.test(field)) {
      nested.push(`${field}: ${reason}`);
    }
  }
  if (Object.keys(out).length === 0) {
    out[""] = err.message;
  } else if (nested.length > 0) {
    out[""] = nested.join("\n");
  }
  return out;
}
