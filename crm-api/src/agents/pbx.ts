import type { AgentState, AgentStateResult, CtiCommand } from "@okno/contracts";
import type { FastifyBaseLogger } from "fastify";
import { sendCommand } from "../calls/bridgeClient.ts";
import type { Config } from "../config.ts";

type QueueAction = Extract<CtiCommand, { type: "agent.queue" }>["action"];

/**
 * The queue command a change of state means for the PBX: coming online logs the agent into their
 * queues, going offline logs them out, a pause (or a new reason) pauses them, leaving it unpauses.
 * After-call work is Okno's own: the PBX is not told (its own wrap-up time, if any, applies).
 */
export function queueActionOf(before: AgentState, after: AgentState): QueueAction | null {
  switch (after.state) {
    case "paused":
      return "pause";
    case "offline":
      return before.state === "offline" ? null : "logout";
    case "available":
      return before.state === "paused" ? "unpause" : before.state === "offline" ? "login" : null;
    case "acw":
      return null;
  }
}

/**
 * Tells the PBX (through the bridge) about the agent's new state. Null when no bridge is configured or
 * the change needs no command; a failure is reported, never thrown: the state has been saved already.
 */
export async function applyOnPbx(
  config: Config,
  log: FastifyBaseLogger,
  input: { extension: string | null; before: AgentState; after: AgentState },
): Promise<AgentStateResult["pbx"]> {
  const action = queueActionOf(input.before, input.after);
  if (!config.cti.token || !input.extension || !action) {
    return null;
  }
  const reason = input.after.reason ?? undefined;
  try {
    const result = await sendCommand(config, {
      type: "agent.queue",
      agentExt: input.extension,
      action,
      ...(action === "pause" && reason ? { reason } : {}),
    });
    if (result.ok) {
      return { applied: true, error: null };
    }
    // The bridge runs without a PBX that could take the command: as if none were connected.
    return result.code === "not_configured" ? null : { applied: false, error: result.message };
  } catch (err) {
    log.warn({ err, action }, "agent state not applied on the PBX");
    return { applied: false, error: err instanceof Error ? err.message : "the PBX did not answer" };
  }
}
