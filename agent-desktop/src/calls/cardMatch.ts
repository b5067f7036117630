import { normalizePhone } from "@okno/contracts";
import type { Card, CallsState } from "./card.ts";

/** How long a card from one path (CTI push, SIP INVITE) waits to be matched by number from the other. */
export const SIP_MATCH_WINDOW_MS = 30_000;

/** crm-api prefixes the PBX's id with the connection name (`ast1:1700000000.12`); the header has the bare id. */
export function isSamePbxCall(pbxCallId: string, callId: string): boolean {
  return callId === pbxCallId || callId.endsWith(`:${pbxCallId}`);
}

/** The number to match and look up: E.164 when it is a phone, else as it came (an extension). */
export function phoneKey(raw: string | null | undefined): string | null {
  const text = raw?.trim() ?? "";
  if (text === "") {
    return null;
  }
  return normalizePhone(text) ?? text;
}

export function isRecentSameNumber(card: Card, number: string | null, now: number): boolean {
  return (
    number !== null &&
    card.number === number &&
    card.state !== "ended" &&
    now - card.startedAt <= SIP_MATCH_WINDOW_MS
  );
}

/** Whether the card is about `callId`: crm-api's id, the id we report it under, or the PBX's own. */
export function isCardOfCall(card: Card, callId: string): boolean {
  return (
    card.callId === callId ||
    card.sipCallId === callId ||
    (card.pbxCallId !== null && isSamePbxCall(card.pbxCallId, callId))
  );
}

export function mapCard(
  state: CallsState,
  match: (c: Card) => boolean,
  change: (c: Card) => Card,
): CallsState {
  let changed = false;
  const cards = state.cards.map((c) => {
    if (!match(c)) {
      return c;
    }
    changed = true;
    return change(c);
  });
  return changed ? { cards } : state;
}
