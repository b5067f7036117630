import type { CallEvent } from "@okno/contracts";
import type { Logger } from "pino";
import {
  admit,
  applyCallPayload,
  callOf,
  legOf,
  takeReady,
  type MangoCall,
  type MangoStore,
} from "./callStore.ts";
import type {
  CallPayload,
  DtmfPayload,
  RecordAddedPayload,
  RecordingPayload,
  SummaryPayload,
} from "./payloads.ts";
import { recordAddedToCallEvent, summaryToCallEvents } from "./summaryEvents.ts";
import { toCallEvent } from "./toCallEvent.ts";
import { createEmitEvent } from "../emitEvent.ts";

export type MangoIngestOptions = {
  /** The PBX connection id, the prefix of every callId ("mango" → "mango:<entry_id>"). */
  pbxId: string;
  /** Receives each CallEvent. It should not throw; if it does, the error is logged. */
  onEvent: (event: CallEvent) => void | Promise<void>;
  log: Logger;
  /** How long events ahead of a gap in their leg's seq wait for it (default 1500 ms); 0 = never wait. */
  reorderWindowMs?: number;
  /** How long a finished call is remembered so late repeats are recognised (default 10 min). */
  closedTtlMs?: number;
  /** A call with no webhook for this long is forgotten (default 12 h): its summary never came. */
  idleTtlMs?: number;
  now?: () => number;
};

/** What became of one webhook: applied (maybe with events), held back, or already known. */
export type IngestOutcome = "applied" | "buffered" | "duplicate" | "stale";

export type MangoIngestStats = {
  applied: number;
  buffered: number;
  duplicates: number;
  stale: number;
  callEvents: number;
  /** Events that failed the contract (a bug here): logged at error, not sent. */
  rejectedCallEvents: number;
  activeCalls: number;
};

export type MangoIngest = {
  handleCall(p: CallPayload): IngestOutcome;
  handleSummary(p: SummaryPayload): IngestOutcome;
  handleRecording(p: RecordingPayload): IngestOutcome;
  handleRecordAdded(p: RecordAddedPayload): IngestOutcome;
  handleDtmf(p: DtmfPayload): IngestOutcome;
  /** The calls as the adapter sees them (tests compare them). */
  calls(): ReadonlyMap<string, MangoCall>;
  stats(): MangoIngestStats;
  close(): void;
};

/** How many DTMF sequences a call keeps (the IVR choices; a runaway caller must not grow memory). */
const MAX_DTMF = 20;

/**
 * The Mango side of the bridge without HTTP: webhooks in (already signed-off and parsed), CallEvents
 * out. Idempotent by (entry_id, call_id, seq); per-leg order restored within the reorder window.
 */
export function createMangoIngest(options: MangoIngestOptions): MangoIngest {
  const {
    pbxId,
    log,
    reorderWindowMs = 1500,
    closedTtlMs = 10 * 60_000,
    idleTtlMs = 12 * 3_600_000,
  } = options;
  const now = options.now ?? Date.now;
  const store: MangoStore = new Map();
  const gapTimers = new Map<string, NodeJS.Timeout>();
  const counters = { applied: 0, buffered: 0, duplicates: 0, stale: 0, callEvents: 0, rejectedCallEvents: 0 };
  const sweeper = setInterval(sweep, Math.min(closedTtlMs, 60_000));
  sweeper.unref();

  const emit = createEmitEvent(options.onEvent, log, counters);

  function apply(call: MangoCall, p: CallPayload): void {
    const events = toCallEvent(call, p, pbxId);
    applyCallPayload(call, p);
    counters.applied += 1;
    events.forEach(emit);
  }

  /** Applies what waits behind a leg's gap: up to the next gap, or everything once the window passed. */
  function drain(call: MangoCall, legId: string, isForced: boolean): void {
    const leg = legOf(call, legId);
    takeReady(leg, isForced).forEach((p) => apply(call, p));
    const key = `${call.entryId}\u0000${legId}`;
    const timer = gapTimers.get(key);
    if (leg.pending.size === 0 && timer) {
      clearTimeout(timer);
      gapTimers.delete(key);
    } else if (leg.pending.size > 0 && !timer) {
      const handle = setTimeout(() => {
        gapTimers.delete(key);
        log.warn({ entryId: call.entryId, legId, pending: leg.pending.size }, "mango seq gap not filled");
        drain(call, legId, true);
      }, reorderWindowMs);
      handle.unref();
      gapTimers.set(key, handle);
    }
  }

  function handleCall(p: CallPayload): IngestOutcome {
    const call = callOf(store, p.entry_id, now());
    const leg = legOf(call, p.call_id);
    const admission = admit(leg, p.seq, reorderWindowMs > 0);
    switch (admission) {
      case "duplicate":
        counters.duplicates += 1;
        return "duplicate";
      case "stale":
        counters.stale += 1;
        log.debug(
          { entryId: p.entry_id, legId: p.call_id, seq: p.seq, last: leg.lastSeq },
          "mango stale event",
        );
        return "stale";
      case "ahead":
        leg.seen.add(p.seq);
        leg.pending.set(p.seq, p);
        counters.buffered += 1;
        drain(call, p.call_id, false);
        return "buffered";
      case "next":
        apply(call, p);
        drain(call, p.call_id, false);
        return "applied";
    }
  }

  function handleSummary(p: SummaryPayload): IngestOutcome {
    const call = callOf(store, p.entry_id, now());
    if (call.isClosed) {
      counters.duplicates += 1;
      return "duplicate";
    }
    // Mango sends the summary after the call's last event: what still waits for a gap is due now.
    [...call.legs.keys()].forEach((legId) => drain(call, legId, true));
    summaryToCallEvents(call, p, pbxId).forEach(emit);
    call.isClosed = true;
    call.closedAt = now();
    counters.applied += 1;
    return "applied";
  }

  /** A webhook known by a key of its own (recordings, DTMF): the first one counts, repeats are no-ops. */
  function once(entryId: string, key: string, effect: (call: MangoCall) => void): IngestOutcome {
    const call = callOf(store, entryId, now());
    if (call.seenKeys.has(key)) {
      counters.duplicates += 1;
      return "duplicate";
    }
    call.seenKeys.add(key);
    effect(call);
    counters.applied += 1;
    return "applied";
  }

  function sweep(): void {
    const at = now();
    for (const [entryId, call] of store) {
      const isExpired =
        call.closedAt !== null ? at - call.closedAt > closedTtlMs : at - call.touchedAt > idleTtlMs;
      if (isExpired && [...call.legs.values()].every((leg) => leg.pending.size === 0)) {
        store.delete(entryId);
      }
    }
  }

  return {
    handleCall,
    handleSummary,
    handleRecording: (p) =>
      once(p.entry_id, `recording:${p.recording_id}:${p.seq}`, (call) => {
        // Started / Continued (in another leg) / Completed; only record/added makes it downloadable.
        call.recordings.set(p.recording_id, p.recording_state);
        log.debug(
          { entryId: p.entry_id, recordingId: p.recording_id, state: p.recording_state },
          "mango recording",
        );
      }),
    handleRecordAdded: (p) =>
      once(p.entry_id, `added:${p.recording_id}`, (call) => {
        call.addedRecordings.add(p.recording_id);
        emit(recordAddedToCallEvent(p, pbxId));
      }),
    handleDtmf: (p) =>
      once(p.entry_id, `dtmf:${p.call_id}:${p.seq}`, (call) => {
        call.dtmf = [...call.dtmf, p.dtmf].slice(-MAX_DTMF);
      }),
    calls: () => store,
    stats: () => ({ ...counters, activeCalls: store.size }),
    close() {
      clearInterval(sweeper);
      gapTimers.forEach((timer) => clearTimeout(timer));
      gapTimers.clear();
    },
  };
}
