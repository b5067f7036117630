import { createHash } from "node:crypto";
import type { CallEvent } from "@okno/contracts";
import { headerOf, type AmiFrame } from "./amiFrame.ts";
import type { CallDraft } from "./trackerState.ts";

/**
 * A stable UUID (version-5 layout over SHA-1) for a name: the same fact about the same call always gets
 * the same event id. After a bridge restart the resync re-announces calls in progress; crm-api, which
 * is idempotent by id, then ignores what it already has (ARCHITECTURE §2 rules).
 */
export function stableId(name: string): string {
  const bytes = createHash("sha1").update("okno:asterisk:").update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type Envelope = { pbx: string; at: string; raw?: string };

/** Adds the envelope: callId = "<pbx>:<Linkedid>", a stable id, the time and the raw reference. */
export function toCallEvent(draft: CallDraft, envelope: Envelope): CallEvent {
  const { linkedid, key, ...fields } = draft;
  const callId = `${envelope.pbx}:${linkedid}`;
  const event = { ...fields, id: stableId(`${callId}|${key}`), callId, at: envelope.at, pbx: envelope.pbx };
  return envelope.raw === undefined ? event : { ...event, raw: envelope.raw };
}

/**
 * When an event happened: its `Timestamp` header when manager.conf has `timestampevents=yes`
 * (seconds.micro), else when it arrived; the captures have no timestamps (fixtures README).
 */
export function eventTime(frame: AmiFrame, now: () => Date): string {
  const stamp = Number.parseFloat(headerOf(frame, "Timestamp") ?? "");
  return Number.isFinite(stamp) && stamp > 0 ? new Date(stamp * 1000).toISOString() : now().toISOString();
}

/**
 * Gives each call's events strictly increasing times, 1 ms apart at least. crm-api merges a call's
 * events by `at` (ties by id), and a burst read in one TCP chunk would otherwise stamp a ringing and its
 * answer with the same millisecond. Remembers the last time of the most recent calls only.
 */
export function createEventClock(memory = 10_000): (callId: string, at: string) => string {
  const last = new Map<string, number>();
  return (callId, at) => {
    const ms = Math.max(Date.parse(at), (last.get(callId) ?? Number.NEGATIVE_INFINITY) + 1);
    last.delete(callId); // re-inserted last: the Map's first key is the call heard from longest ago
    last.set(callId, ms);
    if (last.size > memory) {
      last.delete(last.keys().next().value ?? "");
    }
    return new Date(ms).toISOString();
  };
}
