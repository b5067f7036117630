import type { TFunction } from "i18next";
import { formatPhone } from "../ui/format.ts";
import type { Card } from "./applyEvent.ts";

/**
 * The first name crm-api gives a contact it creates for an unknown caller (crm-api/src/cti/people.ts,
 * UNKNOWN_CALLER_NAME). Such a contact, with its source still unconfirmed, gets the quick form.
 */
export const PROVISIONAL_CONTACT_NAME = "Новый клиент";

/** The card's headline: the contact, else the SIP display name, else the number. */
export function cardTitle(card: Card, t: TFunction): string {
  if (card.contact && !card.contact.hidden && card.contact.fullName !== PROVISIONAL_CONTACT_NAME) {
    return card.contact.fullName;
  }
  if (card.displayName) {
    return card.displayName;
  }
  return card.number ? formatPhone(card.number) : t("call.hiddenNumber");
}

export function directionLabel(card: Card, t: TFunction): string {
  switch (card.direction) {
    case "out":
      return t("call.outgoing");
    case "internal":
      return t("call.internal");
    case "in":
    case null:
      return t("call.incoming");
  }
}

/** Whether the card should offer the quick form: nobody known, or the contact the CTI just made up. */
export function isUnknownCaller(card: Card): boolean {
  if (card.number === null || card.direction === "internal") {
    return false;
  }
  if (card.contact === null) {
    return true;
  }
  return (
    card.contact !== undefined &&
    !card.contact.hidden &&
    !card.contact.isSourceConfirmed &&
    card.contact.fullName === PROVISIONAL_CONTACT_NAME
  );
}
