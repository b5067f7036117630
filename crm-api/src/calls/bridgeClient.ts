import { CtiCommandResult, type CtiCommand } from "@okno/contracts";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";

/**
 * How long a command may take. Asterisk answers in milliseconds; Mango Office's API is retried by the
 * bridge on 5xx (up to ~20 s in the worst case), and a click-to-call the user waits on should not hang.
 */
const COMMAND_TIMEOUT_MS = 15_000;

const unavailable = (message: string) => new AppError(503, "unavailable", message);
const badGateway = (message: string) => new AppError(502, "bad_gateway", message);

/**
 * Sends one command to the CTI bridge (POST `${BRIDGE_URL}/bridge/commands`, bearer CTI_TOKEN) and
 * returns what the PBX made of it: `{ ok: true, callId? }` or `{ ok: false, code, message }`.
 * Throws AppError 503 `unavailable` when CTI is off or the bridge cannot be reached, 502 `bad_gateway`
 * when it does not answer in time or answers something that is not a command result. crm-api and the
 * bridge never import each other: this HTTP call is the whole interface.
 */
export async function sendCommand(config: Config, cmd: CtiCommand): Promise<CtiCommandResult> {
  const token = config.cti.token;
  if (!token) {
    throw unavailable("telephony is not enabled on this server (CTI_TOKEN is not set)");
  }
  const url = `${config.bridge.url}/bridge/commands`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(cmd),
      signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    });
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      throw badGateway(`the CTI bridge did not answer within ${COMMAND_TIMEOUT_MS / 1000} s`);
    }
    throw unavailable(
      `the CTI bridge is not reachable (${e.cause?.code ?? "network error"}); check BRIDGE_URL`,
    );
  }
  const text = await res.text();
  if (res.status === 404) {
    // Nothing mounted at /bridge/commands there: crm-api runs without the bridge in the same process.
    throw unavailable("no CTI bridge answers at BRIDGE_URL");
  }
  if (res.status === 401 || res.status === 403) {
    throw badGateway("the CTI bridge refused our token: CTI_TOKEN differs between crm-api and the bridge");
  }
  if (res.status !== 200) {
    throw badGateway(`the CTI bridge answered HTTP ${res.status}`);
  }
  const parsed = CtiCommandResult.safeParse(safeJson(text));
  if (!parsed.success) {
    throw badGateway("the CTI bridge answered something that is not a command result");
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A refused command as the HTTP error the desktop shows (status by what the user can do about it). */
export function commandError(result: Extract<CtiCommandResult, { ok: false }>): AppError {
  switch (result.code) {
    case "not_found":
      return new AppError(404, "not_found", result.message);
    case "unsupported":
      return new AppError(409, "unsupported", result.message);
    case "pbx_error":
      return badGateway(result.message);
    case "not_configured":
      return unavailable(result.message);
  }
}
