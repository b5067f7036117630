import type { CallHandoverPush } from "@okno/contracts";
import type { CallsState } from "./card.ts";
import { isCardOfCall, mapCard } from "./cardMatch.ts";

/**
 * A colleague's note for a call they are putting through here (`call.handover`): it goes on the card of
 * that call, found by call id, never by the caller id (on a consult call that is the colleague's own
 * extension). The handover's card is already cut to this agent's scope, so it names the client when the
 * card knows nobody yet. The interaction id stays with crm-api's push: until the call is really ours a
 * wrap-up would be refused.
 */
export function applyHandover(state: CallsState, handover: CallHandoverPush): CallsState {
  const callId = handover.callId;
  if (callId === null) {
    return state;
  }
  return mapCard(
    state,
    (c) => isCardOfCall(c, callId) && c.state !== "ended",
    (c) => {
      const takesContact = !c.contact && handover.card.contact !== null;
      return {
        ...c,
        handover: { fromName: handover.from.fullName, fromExt: handover.from.extension, note: handover.note },
        // A consult card with no number has nothing else to wait for; a running lookup may still answer.
        contact: takesContact
          ? handover.card.contact
          : c.contact === undefined && c.number === null
            ? null
            : c.contact,
        needsExtras: takesContact ? false : c.needsExtras,
      };
    },
  );
}
