import type { Lead, LeadCreate, LeadStatus } from "@okno/contracts";
import { phoneDigits } from "@okno/contracts";
import type { Knex } from "knex";
import { escapeLike } from "../listing.ts";
import { iso } from "../cursor.ts";

export interface LeadRow {
  id: string;
  title: string;
  status: LeadStatus;
  contact_name: string | null;
  company_name: string | null;
  company_inn: string | null;
  phone: string | null;
  email: string | null;
  amount: number | null;
  note: string | null;
  contact_id: string | null;
  company_id: string | null;
  source_id: string | null;
  campaign_id: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  owner_id: string;
  deal_id: string | null;
  converted_at: Date | null;
  fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

// Contract field ↔ column, for the columns a client may write.
const WRITABLE = {
  title: "title",
  status: "status",
  contactName: "contact_name",
  companyName: "company_name",
  companyInn: "company_inn",
  phone: "phone",
  email: "email",
  amount: "amount",
  note: "note",
  contactId: "contact_id",
  companyId: "company_id",
  sourceId: "source_id",
  campaignId: "campaign_id",
  utmSource: "utm_source",
  utmMedium: "utm_medium",
  utmCampaign: "utm_campaign",
  utmContent: "utm_content",
  utmTerm: "utm_term",
  ownerId: "owner_id",
  fields: "fields",
} as const satisfies Record<keyof LeadCreate, string>;

const READ_ONLY = ["id", "deal_id", "converted_at", "created_at", "updated_at"];

export function selectLeads(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("leads as l").select([...Object.values(WRITABLE), ...READ_ONLY].map((c) => `l.${c}`));
}

export function toLead(row: LeadRow): Lead {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    contactName: row.contact_name,
    companyName: row.company_name,
    companyInn: row.company_inn,
    phone: row.phone,
    email: row.email,
    amount: row.amount === null ? null : Number(row.amount),
    note: row.note,
    contactId: row.contact_id,
    companyId: row.company_id,
    sourceId: row.source_id,
    campaignId: row.campaign_id,
    utmSource: row.utm_source,
    utmMedium: row.utm_medium,
    utmCampaign: row.utm_campaign,
    utmContent: row.utm_content,
    utmTerm: row.utm_term,
    ownerId: row.owner_id,
    dealId: row.deal_id,
    convertedAt: row.converted_at ? iso(row.converted_at) : null,
    fields: row.fields,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function findLeadRowById(db: Knex | Knex.Transaction, id: string): Promise<LeadRow | undefined> {
  return selectLeads(db).where("l.id", id).first();
}

// The same expression as the leads_search_trgm index, so the planner can use it.
const SEARCH_TEXT =
  "lower(l.title || ' ' || coalesce(l.contact_name, '') || ' ' || coalesce(l.company_name, ''))";

/** A phone fragment in any format searches the lead's number; other text must match every word. */
export function whereLeadMatches(q: Knex.QueryBuilder, text: string): Knex.QueryBuilder {
  const digits = phoneDigits(text);
  if (/^[\d\s()+\-.]+$/.test(text) && digits.length >= 3) {
    // Stored numbers are +7…; people type the trunk prefix 8.
    const fragments =
      digits.startsWith("8") && digits.length >= 4 ? [digits, `7${digits.slice(1)}`] : [digits];
    return q.where((w) => {
      for (const f of fragments) {
        void w.orWhere("l.phone", "like", `%${f}%`);
      }
    });
  }
  for (const word of text.split(/\s+/).filter(Boolean).slice(0, 5)) {
    q.whereRaw(`${SEARCH_TEXT} like lower(?)`, [`%${escapeLike(word)}%`]);
  }
  return q;
}

export function toColumns(input: Partial<LeadCreate>): Record<string, unknown> {
  const entries = Object.entries(WRITABLE).map(([field, column]): [string, unknown] => [
    column,
    // Custom field values (validated and merged by the service) go to a jsonb column as JSON text.
    field === "fields" && input.fields !== undefined
      ? JSON.stringify(input.fields)
      : input[field as keyof LeadCreate],
  ]);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

export async function insertLead(
  db: Knex.Transaction,
  input: LeadCreate & { ownerId: string; createdBy: string },
): Promise<string> {
  const [row] = await db("leads")
    .insert({ ...toColumns(input), created_by: input.createdBy })
    .returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateLeadColumns(
  db: Knex.Transaction,
  id: string,
  columns: Record<string, unknown>,
): Promise<void> {
  await db("leads")
    .where("id", id)
    .update({ ...columns, updated_at: db.fn.now() });
}

export async function deleteLead(db: Knex | Knex.Transaction, id: string): Promise<void> {
  await db("leads").where("id", id).delete();
}

/** The contact that has this e-mail (the oldest, as e-mails are not unique across contacts). */
export async function findContactOwnerByEmail(
  db: Knex | Knex.Transaction,
  email: string,
): Promise<{ id: string; owner_id: string } | undefined> {
  return db("contact_emails as e")
    .join("contacts as c", "c.id", "e.contact_id")
    .where("e.email", email.toLowerCase())
    .orderBy([{ column: "c.created_at" }, { column: "c.id" }])
    .first<{ id: string; owner_id: string } | undefined>("c.id", "c.owner_id");
}

/** The contact that has this E.164 number (numbers are unique). */
export function findContactOwnerByPhone(
  db: Knex | Knex.Transaction,
  phone: string,
): Promise<{ id: string; owner_id: string } | undefined> {
  return db("contact_phones as p")
    .join("contacts as c", "c.id", "p.contact_id")
    .where("p.phone", phone)
    .first<{ id: string; owner_id: string } | undefined>("c.id", "c.owner_id");
}

export function findOwner(
  db: Knex | Knex.Transaction,
  table: "contacts" | "companies",
  id: string,
): Promise<{ id: string; owner_id: string } | undefined> {
  return db(table).where("id", id).first<{ id: string; owner_id: string } | undefined>("id", "owner_id");
}

/**
 * Links a contact to a company unless they already are; the first company of a contact is its primary one.
 * Returns whether a link was added.
 */
export async function linkContactToCompany(
  db: Knex.Transaction,
  contactId: string,
  companyId: string,
): Promise<boolean> {
  const hasCompany = await db("contact_companies")
    .where("contact_id", contactId)
    .first<{ company_id: string } | undefined>("company_id");
  const added = await db("contact_companies")
    .insert({ contact_id: contactId, company_id: companyId, is_primary: !hasCompany })
    .onConflict(["contact_id", "company_id"])
    .ignore()
    .returning<{ contact_id: string }[]>("contact_id");
  return added.length > 0;
}
