import type { CallCardContact, CallHandoverPush, CallPush } from "@okno/contracts";
import { create } from "zustand";
import {
  applyEvent,
  contactIdOf,
  initialCalls,
  type CallAction,
  type CallsState,
  type SipIncoming,
  type SipReplaced,
} from "./applyEvent.ts";
import { loadCardExtras, lookupCardContact } from "./callDetails.ts";
import { markReceived } from "./popTiming.ts";

interface CallActions {
  /** A `call` message from crm-api; `receivedAt` is performance.now() when the socket delivered it. */
  receive: (call: CallPush, receivedAt?: number) => void;
  /**
   * The softphone got an INVITE (pbxCallId from `X-Okno-Call-Id` when the PBX or a colleague's desktop
   * adds it). Binds the line to the CTI card of the same call, or pops a card of its own and looks the
   * number up (not a colleague's consult call: its caller id is the colleague).
   */
  sipIncoming: (incoming: SipIncoming) => void;
  /** The softphone answered the line (incoming answered, or the warm transfer accepted). */
  sipAnswered: (lineId: string) => void;
  /** A warm transfer landed here: the consult call's card carries on with the customer's line. */
  sipReplaced: (replaced: SipReplaced) => void;
  /** The softphone line ended (hung up, cancelled, rejected). */
  sipEnded: (lineId: string) => void;
  /** A colleague's `call.handover`: their note (and the client) on the card of that call. */
  receiveHandover: (handover: CallHandoverPush) => void;
  /** The agent created or attached a contact from the card: show it in place of the unknown caller. */
  replaceContact: (key: string, contact: CallCardContact) => void;
  dismiss: (key: string) => void;
}

export type CallStore = CallsState & CallActions;

export const useCalls = create<CallStore>()((set, get) => {
  const dispatch = (action: CallAction) => set((s) => applyEvent(s, action));

  /** Fills what the card still lacks: the contact (SIP pop) and then its deals, tasks and history. */
  async function completeCard(key: string): Promise<void> {
    const card = get().cards.find((c) => c.key === key);
    if (!card) {
      return;
    }
    if (card.contact === undefined && card.number !== null) {
      const contact = await lookupCardContact(card.number).catch(() => null);
      dispatch({ type: "contact.loaded", key, contact, needsExtras: contact !== null && !contact.hidden });
    }
    const loaded = get().cards.find((c) => c.key === key);
    const contactId = loaded && loaded.needsExtras ? contactIdOf(loaded) : null;
    if (contactId) {
      const extras = await loadCardExtras(contactId).catch(() => null);
      if (extras) {
        dispatch({ type: "extras.loaded", key, contactId, extras });
      }
    }
  }

  return {
    ...initialCalls,
    receive(call, receivedAt = performance.now()) {
      const before = get().cards;
      dispatch({ type: "call", call, now: Date.now() });
      noteNewCards(before, get().cards, receivedAt);
    },
    sipIncoming(incoming) {
      const receivedAt = performance.now();
      const before = get().cards;
      dispatch({ type: "sip.incoming", ...incoming, now: Date.now() });
      noteNewCards(before, get().cards, receivedAt);
      const card = get().cards.find((c) => c.lineId === incoming.lineId);
      if (card) {
        void completeCard(card.key);
      }
    },
    sipAnswered: (lineId) => dispatch({ type: "sip.answered", lineId, now: Date.now() }),
    sipReplaced(replaced) {
      dispatch({ type: "sip.replaced", ...replaced, now: Date.now() });
      const card = get().cards.find((c) => c.lineId === replaced.lineId);
      if (card) {
        void completeCard(card.key);
      }
    },
    sipEnded: (lineId) => dispatch({ type: "sip.ended", lineId }),
    receiveHandover: (handover) => dispatch({ type: "handover", handover }),
    replaceContact: (key, contact) => dispatch({ type: "contact.replaced", key, contact }),
    dismiss: (key) => dispatch({ type: "dismiss", key }),
  };
});

function noteNewCards(before: CallsState["cards"], after: CallsState["cards"], receivedAt: number): void {
  for (const card of after) {
    if (!before.some((b) => b.key === card.key)) {
      markReceived(card.key, card.origin, receivedAt);
    }
  }
}
