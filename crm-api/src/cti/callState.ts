import type { CallDirection, CallEvent, CallState, EndCause } from "@okno/contracts";

/** One leg of a call (an agent's phone being rung, the caller's channel), by the PBX's leg id. */
export interface CallLeg {
  agentExt: string | null;
  ringingAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  cause: EndCause | null;
}

export interface CallTransfer {
  eventId: string;
  at: string;
  kind: "blind" | "attended";
  fromExt: string | null;
  to: string;
}

/** A moment and who: the agent (extension) of an answer or a ring. */
interface Stamp {
  at: string;
  ext: string | null;
}

/**
 * What crm-api knows about one call, merged from its CallEvents. The merge is monotonic and does not
 * depend on the order events arrive in (ARCHITECTURE §2: twice or out of order): every field is the
 * earliest or the latest of something, keyed by the event's own time `at` (ties by event id), so any
 * permutation of the same events gives the same Call, and applying an event again changes nothing.
 *
 * ```
 *  ringing ──► answered ⇄ held ──► ended        state = ended    if endedAt
 *     └──────────────────────────────▲                  held     if the latest hold is after the latest answer/resume
 *                                                       answered if answeredAt
 *                                                       ringing  otherwise
 * ```
 * All instants are ISO 8601 in UTC, so strings compare as times.
 */
export interface Call {
  callId: string;
  pbx: string;
  direction: CallDirection | null;
  from: string | null;
  to: string | null;
  line: string | null;
  queue: string | null;
  /** The PBX's own call-tracking tag (Asterisk CRM_SOURCE), a hint beside `line`. */
  sourceTag: string | null;
  /** `at|id` of the earliest ringing: its fields win, later ringings only fill gaps. */
  firstRing: string | null;
  /** The earliest event of the call: when it started ringing. */
  startedAt: string;
  /** A ringing in a queue that named no agent: the queue's members are the ones to tell. */
  queuedAt: string | null;
  /** Extensions rung, each at its first ring, in time order. */
  rang: Stamp[];
  /** The first answer (when the caller stopped waiting) and the latest one (who is on the call now). */
  firstAnswer: Stamp | null;
  lastAnswer: Stamp | null;
  /** Latest hold and latest answer-or-resume: which is later says whether the call is on hold. */
  heldAt: string | null;
  talkingAt: string | null;
  endedAt: string | null;
  cause: EndCause | null;
  q850: number | null;
  /** The PBX's own end cause when it is not Q.850 (Mango disconnect_reason), for audit. */
  vendorCause: string | null;
  legs: Record<string, CallLeg>;
  transfers: CallTransfer[];
  recording: {
    at: string;
    recordingId: string;
    storageKey: string | null;
    contentType: string | null;
    durationSec: number | null;
  } | null;
}

const utc = (at: string) => new Date(at).toISOString();
const minOf = (a: string | null, b: string) => (a === null || b < a ? b : a);
const maxOf = (a: string | null, b: string) => (a === null || b > a ? b : a);
/** Orders stamps by time, then extension: two answers at the same millisecond still give one result. */
const stampKey = (s: Stamp) => `${s.at}|${s.ext ?? ""}`;
const earlier = (a: Stamp | null, b: Stamp) => (a === null || stampKey(b) < stampKey(a) ? b : a);
const later = (a: Stamp | null, b: Stamp) => (a === null || stampKey(b) > stampKey(a) ? b : a);

export function newCall(e: CallEvent): Call {
  return {
    callId: e.callId,
    pbx: e.pbx,
    direction: null,
    from: null,
    to: null,
    line: null,
    queue: null,
    sourceTag: null,
    firstRing: null,
    startedAt: utc(e.at),
    queuedAt: null,
    rang: [],
    firstAnswer: null,
    lastAnswer: null,
    heldAt: null,
    talkingAt: null,
    endedAt: null,
    cause: null,
    q850: null,
    vendorCause: null,
    legs: {},
    transfers: [],
    recording: null,
  };
}

function withLeg(call: Call, legId: string | undefined, patch: (leg: CallLeg) => CallLeg): Call {
  if (!legId) {
    return call;
  }
  const leg = call.legs[legId] ?? {
    agentExt: null,
    ringingAt: null,
    answeredAt: null,
    endedAt: null,
    cause: null,
  };
  return { ...call, legs: { ...call.legs, [legId]: patch(leg) } };
}

function applyRinging(call: Call, e: Extract<CallEvent, { type: "call.ringing" }>, at: string): Call {
  const key = `${at}|${e.id}`;
  const isFirst = call.firstRing === null || key < call.firstRing;
  const pick = <T>(mine: T | null | undefined, theirs: T | null) =>
    isFirst ? (mine ?? theirs) : (theirs ?? mine ?? null);
  const ext = e.agentExt ?? null;
  const rang = ext === null ? call.rang : addRing(call.rang, { ext, at });
  const next: Call = {
    ...call,
    firstRing: isFirst ? key : call.firstRing,
    direction: pick(e.direction, call.direction),
    from: pick(e.from, call.from),
    to: pick(e.to, call.to),
    line: pick(e.line, call.line),
    queue: pick(e.queue, call.queue),
    sourceTag: pick(e.source, call.sourceTag),
    queuedAt: e.queue && ext === null ? minOf(call.queuedAt, at) : call.queuedAt,
    rang,
  };
  return withLeg(next, e.legId, (leg) => ({
    ...leg,
    agentExt: leg.agentExt ?? ext,
    ringingAt: minOf(leg.ringingAt, at),
  }));
}

/** Keeps each extension once, at its first ring, in time order (ties by extension). */
function addRing(rang: Stamp[], ring: Stamp): Stamp[] {
  const known = rang.find((r) => r.ext === ring.ext);
  if (known && known.at <= ring.at) {
    return rang;
  }
  return [...rang.filter((r) => r.ext !== ring.ext), ring].sort((a, b) =>
    a.at === b.at ? (a.ext ?? "").localeCompare(b.ext ?? "") : a.at < b.at ? -1 : 1,
  );
}

/** Merges one event into the call. Pure: the same events in any order give the same result. */
export function applyCallEvent(call: Call | null, e: CallEvent): Call {
  const at = utc(e.at);
  const base: Call = call ?? newCall(e);
  const c: Call = { ...base, startedAt: minOf(base.startedAt, at) };
  switch (e.type) {
    case "call.ringing":
      return applyRinging(c, e, at);
    case "call.answered": {
      const stamp = { at, ext: e.agentExt };
      const next = {
        ...c,
        firstAnswer: earlier(c.firstAnswer, stamp),
        lastAnswer: e.agentExt === null ? c.lastAnswer : later(c.lastAnswer, stamp),
        talkingAt: maxOf(c.talkingAt, at),
      };
      return withLeg(next, e.legId, (leg) => ({
        ...leg,
        agentExt: leg.agentExt ?? e.agentExt,
        answeredAt: minOf(leg.answeredAt, at),
      }));
    }
    case "call.held":
      return { ...c, heldAt: maxOf(c.heldAt, at) };
    case "call.resumed":
      return { ...c, talkingAt: maxOf(c.talkingAt, at) };
    case "call.transferred": {
      if (c.transfers.some((t) => t.eventId === e.id)) {
        return c;
      }
      const transfer = { eventId: e.id, at, kind: e.kind, fromExt: e.fromExt ?? null, to: e.to };
      const transfers = [...c.transfers, transfer].sort((a, b) =>
        a.at === b.at ? a.eventId.localeCompare(b.eventId) : a.at < b.at ? -1 : 1,
      );
      return { ...c, transfers };
    }
    case "call.ended":
      return applyEnded(c, e, at);
    case "recording.ready": {
      if (c.recording && `${c.recording.at}|${c.recording.recordingId}` > `${at}|${e.recordingId}`) {
        return c;
      }
      const recording = {
        at,
        recordingId: e.recordingId,
        storageKey: e.storageKey ?? null,
        contentType: e.contentType ?? null,
        durationSec: e.durationSec ?? null,
      };
      return { ...c, recording };
    }
  }
}

/** A leg's end (`legId` set) stops that phone ringing; an end without a leg ends the whole call. */
function applyEnded(c: Call, e: Extract<CallEvent, { type: "call.ended" }>, at: string): Call {
  if (e.legId) {
    return withLeg(c, e.legId, (leg) => {
      const isLatest = leg.endedAt === null || `${at}|${e.cause}` > `${leg.endedAt}|${leg.cause}`;
      return {
        ...leg,
        agentExt: leg.agentExt ?? e.agentExt ?? null,
        endedAt: isLatest ? at : leg.endedAt,
        cause: isLatest ? e.cause : leg.cause,
      };
    });
  }
  // The call is over when the last report of its end says so; that report's cause stands.
  if (c.endedAt !== null && `${at}|${e.cause}` <= `${c.endedAt}|${c.cause}`) {
    return c;
  }
  return { ...c, endedAt: at, cause: e.cause, q850: e.q850 ?? null, vendorCause: e.vendorCause ?? null };
}

export function stateOf(c: Call): CallState {
  if (c.endedAt) {
    return "ended";
  }
  if (c.firstAnswer) {
    return c.heldAt !== null && (c.talkingAt === null || c.heldAt > c.talkingAt) ? "held" : "answered";
  }
  return "ringing";
}

/** What happened to the call, for reports and the timeline; null while it lasts. */
export function resultOf(c: Call): EndCause | null {
  if (!c.endedAt) {
    return null;
  }
  if (c.firstAnswer) {
    return "completed";
  }
  // "Completed" without anybody answering (a PBX that reports normal clearing) is a missed call.
  return c.cause === null || c.cause === "completed" ? "missed" : c.cause;
}

/** The agent on the call: the latest to answer, or while ringing the latest rung. */
export function agentOf(c: Call): string | null {
  return c.lastAnswer?.ext ?? c.firstAnswer?.ext ?? c.rang.at(-1)?.ext ?? null;
}

/** Extensions the call is ringing now: rung, and neither answered by anyone nor ended on their leg. */
export function ringingExts(c: Call): string[] {
  if (stateOf(c) !== "ringing") {
    return [];
  }
  const stopped = new Set(
    Object.values(c.legs)
      .filter((leg) => leg.endedAt !== null && leg.agentExt !== null)
      .map((leg) => leg.agentExt),
  );
  return c.rang.map((r) => r.ext).filter((ext): ext is string => ext !== null && !stopped.has(ext));
}

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** Ring → answer; for a call nobody answered, ring → end (how long the caller waited before giving up). */
export function waitSecOf(c: Call): number | null {
  const until = c.firstAnswer?.at ?? c.endedAt;
  return until ? seconds(c.startedAt, until) : null;
}

/** Answer → end, hold included. */
export function talkSecOf(c: Call): number | null {
  return c.firstAnswer && c.endedAt ? seconds(c.firstAnswer.at, c.endedAt) : null;
}
