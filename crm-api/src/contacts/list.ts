import type { ContactListQuery, ContactLookup, ContactPage } from "@okno/contracts";
import { normalizePhone } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { canSee, whereInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest } from "../errors.ts";
import { applyFieldQuery } from "../fields/query.ts";
import { pageBy, timeSort, type SortKey } from "../listing.ts";
import { findContactRowByPhone, selectContacts, toContact, whereMatches, type ContactRow } from "./repo.ts";

type ListQuery = z.output<typeof ContactListQuery>;

function contactSort(sort: ListQuery["sort"]): SortKey<ContactRow> {
  const desc = sort.startsWith("-");
  const field = sort.replace("-", "") as "name" | "createdAt" | "updatedAt";
  if (field === "name") {
    return { expr: "lower(c.full_name)", desc, value: (r) => r.full_name.toLowerCase() };
  }
  return timeSort<ContactRow>("c", field, desc);
}

/** One page of the contacts the principal may see, filtered and sorted; exports page through it too. */
export async function listContacts(
  db: Knex,
  p: Principal,
  query: ListQuery,
): Promise<z.output<typeof ContactPage>> {
  const { q, ownerId, companyId, sourceId, createdFrom, createdTo, sort, limit, cursor } = query;
  const builder = whereInScope(selectContacts(db), db, p, "contacts", "c.owner_id");
  if (q) {
    whereMatches(builder, db, q);
  }
  if (ownerId) {
    builder.where("c.owner_id", ownerId);
  }
  if (sourceId) {
    builder.where("c.source_id", sourceId);
  }
  if (companyId) {
    builder.whereIn("c.id", db("contact_companies").where("company_id", companyId).select("contact_id"));
  }
  if (createdFrom) {
    builder.where("c.created_at", ">=", createdFrom);
  }
  if (createdTo) {
    builder.where("c.created_at", "<", createdTo);
  }
  const fieldSort = await applyFieldQuery<ContactRow>(db, builder, { entity: "contacts", alias: "c" }, query);
  const page = await pageBy<ContactRow>(builder, "c.id", fieldSort ?? contactSort(sort), limit, cursor);
  return { items: page.rows.map(toContact), nextCursor: page.nextCursor };
}

/**
 * Caller identification, the screen-pop hot path: one indexed query, the scope checked in memory. A number
 * outside the scope answers `hidden` with the responsible user's name so the call can be routed to them.
 */
export async function lookupContact(db: Knex, p: Principal, phone: string): Promise<ContactLookup> {
  const e164 = normalizePhone(phone);
  if (!e164) {
    throw badRequest("not a valid phone number", { "querystring.phone": "not a valid phone number" });
  }
  const row = await findContactRowByPhone(db, e164);
  if (!row) {
    return { phone: e164, contact: null, hidden: false, ownerName: null };
  }
  if (!canSee(p, "contacts", { userId: row.owner_id, departmentPath: row.owner_path })) {
    return { phone: e164, contact: null, hidden: true, ownerName: row.owner_name };
  }
  return { phone: e164, contact: toContact(row), hidden: false, ownerName: row.owner_name };
}
