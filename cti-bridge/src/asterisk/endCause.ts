import type { EndCause } from "@okno/contracts";

/*
 * Q.850 cause codes as Asterisk reports them in Hangup `Cause` (include/asterisk/causes.h;
 * telephony.md §2.5) and Dial's DIALSTATUS (AMI DialEnd `DialStatus`).
 */

/** Q.850 26 (NON_SELECTED_USER_CLEARING): Asterisk's "Answered elsewhere" for a cancelled ringall leg. */
const ANSWERED_ELSEWHERE = 26;

/** Cause codes that mean "the call could not be set up" rather than "nobody answered". */
const SETUP_FAILURES = new Set([
  1, 2, 3, 22, 27, 28, 29, 34, 38, 41, 42, 44, 47, 58, 65, 66, 69, 79, 88, 102, 111, 127,
]);

/** How a dial attempt that nobody answered ended, from its Q.850 code. */
export function causeOfQ850(q850: number | null): EndCause {
  if (q850 === 17 || q850 === 21) {
    return "busy"; // USER_BUSY; CALL_REJECTED (the callee declined)
  }
  return q850 !== null && SETUP_FAILURES.has(q850) ? "failed" : "missed";
}

/** DialEnd `DialStatus` (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL…) as an end cause. */
export function causeOfDialStatus(status: string): EndCause | null {
  switch (status) {
    case "BUSY":
      return "busy";
    case "CONGESTION":
    case "CHANUNAVAIL":
    case "INVALIDARGS":
      return "failed";
    case "NOANSWER":
    case "CANCEL":
      return "missed";
    default:
      return null;
  }
}

export type EndFacts = {
  direction: "in" | "out" | "internal" | null;
  isAnswered: boolean;
  isAbandoned: boolean;
  /** What the dialled party's side said (out/internal calls): DialStatus or its hangup cause. */
  dialOutcome: EndCause | null;
};

/**
 * The cause of a whole call. An inbound call nobody answered is "missed" whatever the legs said (the
 * cancelled ringall leg's Cause 26 is not the call's outcome), or "abandoned" when the caller gave up in
 * a queue (QueueCallerAbandon). Outgoing and internal calls keep what the dialled side reported.
 */
export function endCauseOf(facts: EndFacts): EndCause {
  if (facts.isAnswered) {
    return "completed";
  }
  if (facts.isAbandoned) {
    return "abandoned";
  }
  if (facts.direction === "in") {
    return "missed";
  }
  return facts.dialOutcome ?? "missed";
}

export type LegFacts = {
  direction: "in" | "out" | "internal" | null;
  isCallAnswered: boolean;
  /** The leg's last DialEnd status (NOANSWER after AgentRingNoAnswer), if any. */
  dialStatus: string | null;
  q850: number | null;
};

/**
 * Why a phone that rang stopped ringing unanswered. Another agent took the call: "completed" (the
 * ringall leg's Cause 26, answered elsewhere; not a miss by this agent). CANCEL on an inbound call
 * nobody took: the caller gave up (inbound-tracking-abandoned: DialEnd CANCEL, Cause 0). Otherwise
 * what the dial or the cause says (no answer → missed).
 */
export function legCauseOf(facts: LegFacts): EndCause {
  if (facts.isCallAnswered || facts.q850 === ANSWERED_ELSEWHERE) {
    return "completed";
  }
  if (facts.dialStatus === "CANCEL") {
    return facts.direction === "in" ? "abandoned" : "missed";
  }
  return causeOfDialStatus(facts.dialStatus ?? "") ?? causeOfQ850(facts.q850);
}
