import type { ErrorCode } from "@okno/contracts";

/** An error meant for the client: its status, stable code and message reach the response as they are. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) =>
  new AppError(400, "invalid_request", message, fields);
export const unauthorized = (message = "authentication required") =>
  new AppError(401, "unauthorized", message);
export const forbidden = (message = "not allowed") => new AppError(403, "forbidden", message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
export const conflict = (message: string, fields?: Record<string, string>) =>
  new AppError(409, "conflict", message, fields);
