import type {
  Interaction,
  InteractionChannel,
  InteractionDirection,
  InteractionListQuery,
} from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";
import type { SortKey } from "../listing.ts";

export interface InteractionRow {
  id: string;
  channel: InteractionChannel;
  direction: InteractionDirection | null;
  occurred_at: Date;
  ended_at: Date | null;
  duration_sec: number | null;
  answered_at: Date | null;
  wait_sec: number | null;
  source_id: string | null;
  source_name: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  source_confirmed: boolean | null;
  result: string | null;
  subject: string | null;
  body: string | null;
  payload: Record<string, unknown> | null;
  call_id: string | null;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  lead_id: string | null;
  owner_id: string;
  owner_name: string;
  created_at: Date;
}

export interface InteractionColumns {
  channel: InteractionChannel;
  direction: InteractionDirection | null;
  occurred_at: string | Knex.Raw;
  ended_at: string | null;
  duration_sec: number | null;
  result: string | null;
  subject: string | null;
  body: string | null;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  lead_id: string | null;
  owner_id: string;
  created_by: string;
}

/** Timelines and journals read newest first; the indexes are (parent, occurred_at desc, id desc). */
export const newestFirst: SortKey<InteractionRow> = {
  expr: "i.occurred_at",
  desc: true,
  value: (r) => iso(r.occurred_at),
};

export function selectInteractions(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  // Left joins add the call facts the CTI stores: source and campaign names, the contact's confirmation.
  return db("interactions as i")
    .join("users as o", "o.id", "i.owner_id")
    .leftJoin("sources as s", "s.id", "i.source_id")
    .leftJoin("campaigns as cp", "cp.id", "i.campaign_id")
    .leftJoin("contacts as c", "c.id", "i.contact_id")
    .select(
      "i.id",
      "i.channel",
      "i.direction",
      "i.occurred_at",
      "i.ended_at",
      "i.duration_sec",
      "i.answered_at",
      "i.wait_sec",
      "i.source_id",
      "s.name as source_name",
      "i.campaign_id",
      "cp.name as campaign_name",
      "c.source_confirmed",
      "i.result",
      "i.subject",
      "i.body",
      "i.payload",
      "i.call_id",
      "i.contact_id",
      "i.company_id",
      "i.deal_id",
      "i.lead_id",
      "i.owner_id",
      "o.full_name as owner_name",
      "i.created_at",
    );
}

export function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    channel: row.channel,
    direction: row.direction,
    occurredAt: iso(row.occurred_at),
    endedAt: row.ended_at ? iso(row.ended_at) : null,
    durationSec: row.duration_sec,
    answeredAt: row.answered_at ? iso(row.answered_at) : null,
    waitSec: row.wait_sec,
    sourceId: row.source_id,
    sourceName: row.source_name,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    isSourceConfirmed: row.source_confirmed,
    result: row.result,
    subject: row.subject,
    body: row.body,
    payload: row.payload ?? {},
    contactId: row.contact_id,
    companyId: row.company_id,
    dealId: row.deal_id,
    leadId: row.lead_id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    callId: row.call_id,
    createdAt: iso(row.created_at),
  };
}

/** The record kinds that have a timeline, and the column that links an interaction to each. */
export const TIMELINE_PARENTS = {
  contacts: { column: "i.contact_id", noun: "contact" },
  companies: { column: "i.company_id", noun: "company" },
  deals: { column: "i.deal_id", noun: "deal" },
} as const;
export type TimelineParent = keyof typeof TIMELINE_PARENTS;

/** Applies the journal filters other than scope and paging. */
export function whereInteractionFilters(
  q: Knex.QueryBuilder,
  f: Omit<InteractionListQuery, "limit" | "cursor">,
): Knex.QueryBuilder {
  if (f.channel) {
    q.where("i.channel", f.channel);
  }
  if (f.direction) {
    q.where("i.direction", f.direction);
  }
  if (f.ownerId) {
    q.where("i.owner_id", f.ownerId);
  }
  if (f.from) {
    q.where("i.occurred_at", ">=", f.from);
  }
  if (f.to) {
    q.where("i.occurred_at", "<", f.to);
  }
  return q;
}

/** The contact's primary company, which a new interaction with the contact is filed under too. */
export async function findPrimaryCompanyId(
  db: Knex | Knex.Transaction,
  contactId: string,
): Promise<string | null> {
  const row = await db("contact_companies")
    .where({ contact_id: contactId, is_primary: true })
    .first<{ company_id: string } | undefined>("company_id");
  return row?.company_id ?? null;
}

export async function insertInteraction(db: Knex.Transaction, columns: InteractionColumns): Promise<string> {
  const [row] = await db("interactions").insert(columns).returning<{ id: string }[]>("id");
  return row!.id;
}

export function findInteractionRowById(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<InteractionRow | undefined> {
  return selectInteractions(db).where("i.id", id).first();
}
