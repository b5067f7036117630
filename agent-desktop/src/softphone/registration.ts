/**
 * What the agent sees about the softphone's registration, as a pure state machine.
 *
 * ```txt
 *            start                transport up         200 to REGISTER
 *  offline ───────► connecting ─────────────► (waits) ───────────────► registered
 *     ▲                 │  ▲                                              │
 *     │ stop            │  └──────── retry after nextReconnectDelay ──────┤ transport lost
 *     │                 │                                                 ▼
 *     └─────────────────┴──── 401/403 to REGISTER ──► failed        reconnecting
 * ```
 * A lost WebSocket (network drop, PBX restart) is retried forever with a capped backoff; every
 * successful reconnect re-registers. Bad credentials are not retried: they will not get better.
 */
export type RegistrationStatus = "offline" | "connecting" | "registered" | "reconnecting" | "failed";

export interface RegistrationState {
  status: RegistrationStatus;
  /** Reconnect attempts since the last successful registration. */
  attempts: number;
  /** Why the last attempt failed, for the panel's tooltip (never a secret). */
  reason: string | undefined;
}

export type RegistrationEvent =
  | { type: "start" }
  | { type: "registered" }
  | { type: "transportLost"; reason: string }
  | { type: "retrying" }
  | { type: "rejected"; reason: string }
  | { type: "unregistered" }
  | { type: "stop" };

export const initialRegistration: RegistrationState = { status: "offline", attempts: 0, reason: undefined };

export function applyRegistrationEvent(
  state: RegistrationState,
  event: RegistrationEvent,
): RegistrationState {
  switch (event.type) {
    case "start":
      return { status: "connecting", attempts: 0, reason: undefined };
    case "registered":
      return { status: "registered", attempts: 0, reason: undefined };
    case "transportLost":
      // After stop() the socket closes on purpose; a failed registration stays failed until start().
      if (state.status === "offline" || state.status === "failed") {
        return state;
      }
      return { status: "reconnecting", attempts: state.attempts, reason: event.reason };
    case "retrying":
      return { ...state, status: "reconnecting", attempts: state.attempts + 1 };
    case "rejected":
      return { status: "failed", attempts: state.attempts, reason: event.reason };
    case "unregistered":
      // The registrar dropped us while the socket is up (expiry not refreshed): try again.
      return state.status === "registered" ? { ...state, status: "reconnecting" } : state;
    case "stop":
      return initialRegistration;
  }
}

/** 1 s, 2 s, 4 s … capped at 30 s, so a PBX restart is noticed quickly and a long outage costs little. */
export function nextReconnectDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}
