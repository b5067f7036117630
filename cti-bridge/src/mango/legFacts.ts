import { normalizePhone, type CallDirection, type EndCause } from "@okno/contracts";
import type { CallPayload, MangoSide } from "./payloads.ts";

/*
 * Facts about one events/call payload that both the mapper and the state reducer need. Each is a
 * function of the payload (and, for a replacement, of the leg's previous party) only, so an event's
 * content does not depend on the order webhooks arrive in.
 */

/**
 * An outside number as E.164. Mango writes international numbers as bare digits ("74955404444", PDF
 * examples), so a long digit string is read as international first; anything else (a SIP URI, a short
 * test number) is kept as given.
 */
export function phoneOf(number: string | null): string | null {
  if (number === null) {
    return null;
  }
  const international = /^\d{11,15}$/.test(number) ? normalizePhone(`+${number}`) : null;
  return international ?? normalizePhone(number) ?? number;
}

/** A party as the contract wants it: the extension for an employee, else the phone number. */
export function partyOf(side: MangoSide): string {
  return side.extension ?? phoneOf(side.number) ?? "anonymous";
}

/**
 * The first leg of a callback (click-to-call, PDF "Инициирование исходящего вызова" pp. 329–331):
 * Mango rings the employee first, with the customer's number in `from`, marked by the command it came
 * from and taken from no other leg. IVR routing (pp. 331–333) also carries a command_id, but its leg
 * is taken from the IVR leg.
 */
export function isCallbackLeg(p: CallPayload): boolean {
  const isCommand = p.callback_initiator !== null || p.command_id !== null;
  return isCommand && p.from.taken_from_call_id === null && p.to.extension !== null;
}

export function legDirection(p: CallPayload): CallDirection {
  if (isCallbackLeg(p)) {
    return "out";
  }
  if (p.from.extension !== null) {
    return p.to.extension !== null ? "internal" : "out";
  }
  return "in";
}

/** The employee of the leg: the one rung (inbound, internal, callback) or the one dialling (outbound). */
export function agentExtOf(p: CallPayload): string | null {
  return legDirection(p) === "out" && !isCallbackLeg(p) ? p.from.extension : p.to.extension;
}

/** A leg that waits in the IVR or a queue: nobody of ours answers or holds it. */
export function isMachineLeg(p: CallPayload): boolean {
  return p.location === "ivr" || p.location === "queue";
}

/**
 * The employee who started a leg is replaced by the party taken from another leg: the end of a
 * transfer (PDF "Перевод вызова без консультации" pp. 337–340 and "…с консультацией" pp. 339–342, where
 * leg B's `from` turns from extension 333/123 into the customer's number with `taken_from_call_id`).
 */
export function isReplacement(previousFromExt: string | null, p: CallPayload): boolean {
  return previousFromExt !== null && p.from.extension === null && p.from.taken_from_call_id !== null;
}

/** The `transfer` field (PDF §3.1.2): consultative | blind | return_blind (blind, returned on no answer). */
export function transferKindOf(value: string | null): "blind" | "attended" | null {
  if (value === "consultative") {
    return "attended";
  }
  return value === "blind" || value === "return_blind" ? "blind" : null;
}

/**
 * `disconnect_reason` groups (PDF §3.1.2, telephony.md §1.3): 11xx normal clearing, 2xxx billing
 * limits, 32xx wrong number, 42xx the party cannot be reached now, 5001 overload, 5003 technical.
 * Normal clearing says nothing about answering, so it maps to null and the caller decides.
 */
export function causeOfReason(reason: number | null | undefined): EndCause | null {
  if (reason === null || reason === undefined) {
    return null;
  }
  if (reason >= 4200 && reason < 4300) {
    return "busy";
  }
  const isFailure = (reason >= 2000 && reason < 3000) || (reason >= 3200 && reason < 3300) || reason >= 5000;
  return isFailure ? "failed" : null;
}

/** 1110: the calling party hung up (the PDF's examples: "вызывающий абонент повесил трубку"). */
export const CALLER_HUNG_UP = 1110;
