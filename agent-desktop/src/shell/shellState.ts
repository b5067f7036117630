import { PauseReason, type AgentState, type AgentStatePut } from "@okno/contracts";
import { AGENT_NS } from "../agent/i18n.ts";
import type { Card } from "../calls/applyEvent.ts";
import { i18n } from "../i18n/i18n.ts";
import type { AgentStateMessage, RequestStateMessage } from "./oknoShell.ts";

/*
 * The tray speaks Russian pause labels («Обед»): it lists them itself (electron/src/shell/agentTray.ts
 * PAUSE_REASONS) and ticks the one equal to what the app sends. So the app sends the Russian label
 * whatever language its own screen is in, and reads the labels back into crm-api's reason codes.
 */
const trayT = i18n.getFixedT("ru", AGENT_NS);

/** Whether a call is ringing or in progress on one of the agent's cards. */
export function isOnCall(cards: readonly Card[]): boolean {
  return cards.some((card) => card.state !== "ended");
}

/** The tray's view of the agent's state; null while the app does not know it yet. */
export function toShellState(current: AgentState | null, onCall: boolean): AgentStateMessage | null {
  if (!current) {
    return null;
  }
  const message: AgentStateMessage = { state: current.state, since: current.since, onCall };
  if (current.state === "paused" && current.reason) {
    message.reason = trayT(`reason.${current.reason}`);
  }
  return message;
}

function reasonOf(label: string): PauseReason | undefined {
  const code = PauseReason.safeParse(label);
  if (code.success) {
    return code.data;
  }
  const wanted = label.trim().toLowerCase();
  return PauseReason.options.find((reason) =>
    (["ru", "en"] as const).some(
      (lng) => i18n.getFixedT(lng, AGENT_NS)(`reason.${reason}`).toLowerCase() === wanted,
    ),
  );
}

/**
 * What to ask crm-api for when the agent picks a state in the tray, or null for a state only the system
 * enters (after-call work). A pause label the app does not know becomes «Другое» with the label as note.
 */
export function toAgentStatePut(request: RequestStateMessage): AgentStatePut | null {
  switch (request.state) {
    case "available":
    case "offline":
      return { state: request.state };
    case "acw":
      return null;
    case "paused": {
      const label = request.reason ?? "";
      const reason = reasonOf(label);
      if (reason) {
        return { state: "paused", reason };
      }
      return label.trim()
        ? { state: "paused", reason: "other", note: label.trim() }
        : { state: "paused", reason: "other" };
    }
  }
}
