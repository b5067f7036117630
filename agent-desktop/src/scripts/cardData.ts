import type { CallCardContact, Contact, Me } from "@okno/contracts";
import type { Capture, CardData } from "@okno/scripts-kb";

export interface CardSources {
  /** The card's contact as the push brought it (name, company, open deals). */
  cardContact: CallCardContact | null | undefined;
  /** The full contact (first name, custom fields), once loaded. */
  contact: Contact | null | undefined;
  me: Pick<Me, "fullName" | "extension"> | null;
  /** What the run captured so far: a name asked for at the start shows in the next node's text. */
  captures: readonly Capture[];
}

type Rec = Record<string, unknown>;

/** Writes `field` ("firstName", "fields.budget") into a copy of `record`. */
function withField(record: Rec | null | undefined, field: string, value: unknown): Rec {
  const copy: Rec = { ...record };
  if (field.startsWith("fields.")) {
    copy.fields = { ...(copy.fields as Rec | undefined), [field.slice("fields.".length)]: value };
  } else {
    copy[field] = value;
  }
  return copy;
}

/** What the script's placeholders read on this call: the card, the full contact, the agent, the captures. */
export function cardDataOf({ cardContact, contact, me, captures }: CardSources): CardData {
  const visible = cardContact && !cardContact.hidden ? cardContact : null;
  const deal = visible?.deals[0];
  const data: CardData = {
    contact: contact ?? (visible ? { fullName: visible.fullName } : null),
    company: visible?.company ? { name: visible.company.name } : null,
    deal: deal ? { title: deal.title, amount: deal.amount, stageName: deal.stageName } : null,
    agent: me ? { fullName: me.fullName, extension: me.extension } : null,
  };
  for (const c of captures) {
    data[c.entity] = withField(data[c.entity], c.field, c.value);
  }
  return data;
}
