import type { Deal, DealCreate } from "@okno/contracts";
import type { Knex } from "knex";
import { escapeLike } from "../listing.ts";
import { iso } from "../cursor.ts";

export interface DealRow {
  id: string;
  title: string;
  pipeline_id: string;
  stage_id: string;
  amount: number;
  currency: "RUB";
  company_id: string | null;
  contact_id: string | null;
  lead_id: string | null;
  source_id: string | null;
  owner_id: string;
  expected_close_date: string | null;
  stage_changed_at: Date;
  closed_at: Date | null;
  note: string | null;
  fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const DEAL_COLUMNS = [
  "id",
  "title",
  "pipeline_id",
  "stage_id",
  "amount",
  "currency",
  "company_id",
  "contact_id",
  "lead_id",
  "source_id",
  "owner_id",
  "expected_close_date",
  "stage_changed_at",
  "closed_at",
  "note",
  "fields",
  "created_at",
  "updated_at",
];

export function selectDeals(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("deals as d").select(DEAL_COLUMNS.map((c) => `d.${c}`));
}

export function toDeal(row: DealRow): Deal {
  return {
    id: row.id,
    title: row.title,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    amount: Number(row.amount),
    currency: row.currency,
    companyId: row.company_id,
    contactId: row.contact_id,
    leadId: row.lead_id,
    sourceId: row.source_id,
    ownerId: row.owner_id,
    expectedCloseDate: row.expected_close_date,
    stageChangedAt: iso(row.stage_changed_at),
    closedAt: row.closed_at ? iso(row.closed_at) : null,
    note: row.note,
    fields: row.fields,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function findDealRowById(db: Knex | Knex.Transaction, id: string): Promise<DealRow | undefined> {
  return selectDeals(db).where("d.id", id).first();
}

/** Every word must occur in the title. */
export function whereDealMatches(q: Knex.QueryBuilder, text: string): Knex.QueryBuilder {
  for (const word of text.split(/\s+/).filter(Boolean).slice(0, 5)) {
    q.whereRaw("lower(d.title) like lower(?)", [`%${escapeLike(word)}%`]);
  }
  return q;
}

/** Plain columns of a deal; pipeline, stage and closing are decided by the service. */
export type DealColumns = Omit<DealCreate, "pipelineId" | "stageId">;

export function toColumns(input: Partial<DealColumns>): Record<string, unknown> {
  const map: Record<string, unknown> = {
    title: input.title,
    amount: input.amount,
    currency: input.currency,
    company_id: input.companyId,
    contact_id: input.contactId,
    source_id: input.sourceId,
    owner_id: input.ownerId,
    expected_close_date: input.expectedCloseDate,
    note: input.note,
    // Validated and merged by the service (fields/values.ts): the complete new set.
    fields: input.fields === undefined ? undefined : JSON.stringify(input.fields),
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function insertDeal(db: Knex.Transaction, columns: Record<string, unknown>): Promise<string> {
  const [row] = await db("deals").insert(columns).returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateDealColumns(
  db: Knex.Transaction,
  id: string,
  columns: Record<string, unknown>,
): Promise<void> {
  await db("deals")
    .where("id", id)
    .update({ ...columns, updated_at: db.fn.now() });
}

export async function deleteDeal(db: Knex | Knex.Transaction, id: string): Promise<void> {
  await db("deals").where("id", id).delete();
}
