import type { CallEvent, EndCause } from "@okno/contracts";
import { phoneKey } from "../calls/cardMatch.ts";
import { isSoftphoneCallId, newSoftphoneCallId, SOFTPHONE_PBX } from "../calls/softphoneCalls.ts";
import type { Line, TransferState } from "./lines.ts";
import type { ReportOptions } from "./reportQueue.ts";

/**
 * What the softphone tells crm-api about its own calls when no CTI bridge does (Kamailio, a PBX without
 * AMI): each incoming line is a leg (`call.ringing`, `call.answered`, `call.transferred`, `call.ended`) of
 * a call id `sip:<uuid>`. A consult call carries that id to the colleague in X-Okno-Call-Id, so their legs
 * join the same call and the timeline shows one call with both agents.
 *
 * ```
 *  INVITE, no call id ─► waiting GRACE_MS (a CTI push may still claim the card) ─┬─► claimed: dropped
 *                                                                                 └─► live: sent as it goes
 *  INVITE, X-Okno-Call-Id: sip:… (a colleague consults us) ─► waiting until the customer is transferred
 *        here (replaced) ─► live; hung up before that (declined, consult cancelled) ─► dropped
 *  INVITE, a bridge's call id ─► not ours to report
 * ```
 * A leg that ends after handing the customer on (transferred) ends only itself; any other end is the
 * end of the call.
 */
export const GRACE_MS = 1500;

export interface LegReporterOptions {
  /** The agent's extension: crm-api takes reports only about their own phone. */
  extension: string;
  enqueue: (events: readonly CallEvent[], options: ReportOptions) => void;
  /** A CTI bridge reports the call after all: this desktop must stay silent about it. */
  isBridged: (callId: string) => boolean;
  graceMs?: number;
  now?: () => number;
}

export interface LegReporter {
  /** A new incoming line; returns the call id it is reported under, if this desktop reports it. */
  ringing: (line: Line) => string | undefined;
  answered: (lineId: string) => void;
  transferred: (lineId: string, kind: Exclude<TransferState, "none">, to: string) => void;
  /** A warm transfer landed here: `lineId` carries on the leg of the consult line `replacedLineId`. */
  replaced: (lineId: string, replacedLineId: string) => void;
  ended: (line: Line) => void;
  /** Decides every waiting leg now (the phone stops). */
  stop: () => void;
}

interface Leg {
  callId: string;
  legId: string;
  isJoined: boolean;
  phase: "waiting" | "live" | "dropped";
  buffer: CallEvent[];
  isAnswered: boolean;
  isTransferred: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

type EventBody = CallEvent extends infer E
  ? E extends CallEvent
    ? Omit<E, "id" | "callId" | "pbx" | "at" | "legId">
    : never
  : never;

export function createLegReporter(options: LegReporterOptions): LegReporter {
  const { extension } = options;
  const now = options.now ?? (() => Date.now());
  const legs = new Map<string, Leg>();

  const event = (leg: Leg, body: EventBody, ofLeg = true): CallEvent => ({
    id: crypto.randomUUID(),
    callId: leg.callId,
    pbx: SOFTPHONE_PBX,
    at: new Date(now()).toISOString(),
    ...(ofLeg ? { legId: leg.legId } : {}),
    ...body,
  });

  function record(leg: Leg, events: CallEvent[]): void {
    if (leg.phase === "live") {
      options.enqueue(events, { waitsForColleague: leg.isJoined });
    } else if (leg.phase === "waiting") {
      leg.buffer.push(...events);
    }
  }

  function goLive(leg: Leg): void {
    clearTimeout(leg.timer);
    if (leg.phase !== "waiting") {
      return;
    }
    leg.phase = "live";
    const buffered = leg.buffer.splice(0);
    if (buffered.length > 0) {
      options.enqueue(buffered, { waitsForColleague: leg.isJoined });
    }
  }

  function drop(leg: Leg): void {
    clearTimeout(leg.timer);
    leg.phase = "dropped";
    leg.buffer = [];
  }

  /** End of the grace time of a call nobody else named: report it unless the bridge claimed it. */
  function decide(leg: Leg): void {
    if (leg.phase === "waiting") {
      if (options.isBridged(leg.callId)) {
        drop(leg);
      } else {
        goLive(leg);
      }
    }
  }

  function newLeg(callId: string, isJoined: boolean): Leg {
    return {
      callId,
      legId: crypto.randomUUID(),
      isJoined,
      phase: "waiting",
      buffer: [],
      isAnswered: false,
      isTransferred: false,
      timer: undefined,
    };
  }

  return {
    ringing(line) {
      const header = line.pbxCallId;
      if (line.direction !== "in" || (header !== undefined && !isSoftphoneCallId(header))) {
        return undefined;
      }
      if (header !== undefined) {
        const leg = newLeg(header, true);
        legs.set(line.id, leg);
        const from = line.number || "anonymous";
        record(leg, [
          event(leg, {
            type: "call.ringing",
            direction: "internal",
            from,
            to: extension,
            agentExt: extension,
          }),
        ]);
        return leg.callId;
      }
      // Withheld numbers and internal calls make no client's call: nothing for the timeline.
      const number = phoneKey(line.number);
      if (number === null || !number.startsWith("+")) {
        return undefined;
      }
      const leg = newLeg(newSoftphoneCallId(), false);
      legs.set(line.id, leg);
      record(leg, [
        event(leg, {
          type: "call.ringing",
          direction: "in",
          from: number,
          to: extension,
          agentExt: extension,
        }),
      ]);
      leg.timer = setTimeout(() => decide(leg), options.graceMs ?? GRACE_MS);
      return leg.callId;
    },
    answered(lineId) {
      const leg = legs.get(lineId);
      if (leg && !leg.isAnswered) {
        leg.isAnswered = true;
        record(leg, [event(leg, { type: "call.answered", agentExt: extension })]);
      }
    },
    transferred(lineId, kind, to) {
      const leg = legs.get(lineId);
      if (leg) {
        leg.isTransferred = true;
        record(leg, [event(leg, { type: "call.transferred", kind, fromExt: extension, to })]);
      }
    },
    replaced(lineId, replacedLineId) {
      const leg = legs.get(replacedLineId);
      if (!leg) {
        return;
      }
      legs.delete(replacedLineId);
      legs.set(lineId, leg);
      if (leg.isJoined) {
        goLive(leg);
      }
    },
    ended(line) {
      const leg = legs.get(line.id);
      if (!leg) {
        return;
      }
      legs.delete(line.id);
      if (leg.isJoined && leg.phase === "waiting") {
        drop(leg);
        return;
      }
      const cause: EndCause = leg.isAnswered ? "completed" : "missed";
      const events = [event(leg, { type: "call.ended", cause, agentExt: extension })];
      // A transfer still in flight when the PBX hangs us up is a handover too, not the end of the call.
      if (!leg.isTransferred && line.transfer === "none") {
        events.push(event(leg, { type: "call.ended", cause }, false));
      }
      record(leg, events);
    },
    stop() {
      for (const leg of legs.values()) {
        if (leg.isJoined) {
          drop(leg);
        } else {
          decide(leg);
        }
      }
      legs.clear();
    },
  };
}
