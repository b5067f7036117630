import type { ScopedEntity } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee, ownerOf } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest } from "../errors.ts";

/** The records a task or an interaction can be attached to. */
export interface Links {
  contactId?: string | null | undefined;
  companyId?: string | null | undefined;
  dealId?: string | null | undefined;
  leadId?: string | null | undefined;
}

const LINKS: { field: keyof Links; entity: ScopedEntity; noun: string }[] = [
  { field: "contactId", entity: "contacts", noun: "contact" },
  { field: "companyId", entity: "companies", noun: "company" },
  { field: "dealId", entity: "deals", noun: "deal" },
  { field: "leadId", entity: "leads", noun: "lead" },
];

/**
 * Every linked record must exist and be in the user's scope for its entity: attaching a task or a note to
 * someone else's client would leak it into their timeline. Answers one 400 naming every bad field, without
 * saying whether a record exists outside the scope.
 */
export async function assertLinksVisible(db: Knex, p: Principal, links: Links): Promise<void> {
  const fields: Record<string, string> = {};
  for (const { field, entity, noun } of LINKS) {
    const id = links[field];
    if (!id) {
      continue;
    }
    const owner = await ownerOf(db, entity, id);
    if (!owner || !canSee(p, entity, owner)) {
      fields[`body.${field}`] = `no such ${noun} in your scope`;
    }
  }
  if (Object.keys(fields).length > 0) {
    throw badRequest("unknown linked record", fields);
  }
}
