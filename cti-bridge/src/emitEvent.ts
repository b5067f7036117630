import { CallEvent } from "@okno/contracts";
import type { Logger } from "pino";

/** The counters every adapter reports for the events it hands on. */
export type EmitCounters = { callEvents: number; rejectedCallEvents: number };

/**
 * The last gate of every adapter: a CallEvent that fails the shared schema is a mapper bug, so it is
 * logged, counted and dropped rather than sent to crm-api; a listener that throws or rejects is logged and
 * never stops the adapter (listeners never throw, STYLE event flow).
 */
export function createEmitEvent(
  onEvent: (event: CallEvent) => void | Promise<void>,
  log: Logger,
  counters: EmitCounters,
): (candidate: CallEvent) => void {
  return (candidate) => {
    const parsed = CallEvent.safeParse(candidate);
    if (!parsed.success) {
      counters.rejectedCallEvents += 1;
      log.error(
        { callId: candidate.callId, type: candidate.type, issues: parsed.error.issues },
        "call event rejected",
      );
      return;
    }
    counters.callEvents += 1;
    try {
      void Promise.resolve(onEvent(parsed.data)).catch((err: unknown) =>
        log.error({ err, callId: candidate.callId }, "call event listener failed"),
      );
    } catch (err) {
      log.error({ err, callId: candidate.callId }, "call event listener failed");
    }
  };
}
