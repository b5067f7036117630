import type { CallEvent } from "@okno/contracts";
import { api } from "../api.ts";
import { useCalls } from "../calls/callStore.ts";
import { isClaimedByBridge, shareableCallId } from "../calls/softphoneCalls.ts";
import { createLegReporter, type LegReporter } from "./legReporter.ts";
import { createReportQueue } from "./reportQueue.ts";

/**
 * The softphone's leg reports on their way to POST /calls/softphone-events. The queue outlives a
 * re-registration (a new phone, a new reporter), so reports made before it still go out.
 */
const queue = createReportQueue({
  send: async (events: CallEvent[]) => {
    await api("POST", "/calls/softphone-events", { body: { events }, quiet: true });
  },
});

let reporter: LegReporter | undefined;

/** A reporter for the phone registered as `extension`; the previous one decides its waiting legs. */
export function startLegReports(extension: string): LegReporter {
  reporter?.stop();
  reporter = createLegReporter({
    extension,
    enqueue: (events, options) => queue.push(events, options),
    isBridged: (callId) => isClaimedByBridge(useCalls.getState().cards, callId),
  });
  return reporter;
}

export function stopLegReports(): void {
  reporter?.stop();
  reporter = undefined;
}

/** Sends the queued reports now: a handover note needs the call on crm-api first. */
export function flushLegReports(): Promise<void> {
  return queue.flush();
}

/**
 * Headers for the consult call about the customer on `lineId`: X-Okno-Call-Id carries the call's id, so
 * the colleague's desktop joins the same call (its card and its leg reports) instead of starting another.
 */
export function consultHeaders(lineId: string): string[] {
  const card = useCalls.getState().cards.find((c) => c.lineId === lineId);
  const callId = card ? shareableCallId(card) : null;
  return callId ? [`X-Okno-Call-Id: ${callId}`] : [];
}
