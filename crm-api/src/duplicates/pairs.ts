import type {
  CompanyDuplicatePair,
  ContactDuplicatePair,
  DuplicatePairQuery,
  DuplicateReason,
} from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { assertRecordInScope, whereInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { selectCompanies, toCompany, type CompanyRow } from "../companies/repo.ts";
import { selectContacts, toContact, type ContactRow } from "../contacts/repo.ts";
import { iso } from "../cursor.ts";
import { notFound } from "../errors.ts";
import { pageBy } from "../listing.ts";

interface PairRow {
  id: string;
  /** numeric(4,3) arrives as text; kept so the keyset cursor compares exactly what is stored. */
  score: string;
  reasons: DuplicateReason[];
  created_at: Date;
  a_id: string;
  b_id: string;
}

type Entity = "contacts" | "companies";
type Query = z.output<typeof DuplicatePairQuery>;

/**
 * One page of undismissed pairs, best first, where the user may see both records: a pair is only useful to
 * someone who can open and merge both.
 */
async function pagePairs(
  db: Knex,
  p: Principal,
  entity: Entity,
  query: Query,
): Promise<{ rows: PairRow[]; nextCursor: string | null }> {
  const q = db("duplicate_pairs as dp")
    .join(`${entity} as ra`, "ra.id", "dp.a_id")
    .join(`${entity} as rb`, "rb.id", "dp.b_id")
    .where("dp.entity", entity)
    .whereNull("dp.dismissed_at")
    .select("dp.id", "dp.score", "dp.reasons", "dp.created_at", "dp.a_id", "dp.b_id");
  whereInScope(q, db, p, entity, "ra.owner_id");
  whereInScope(q, db, p, entity, "rb.owner_id");
  const sort = { expr: "dp.score", desc: true, value: (r: PairRow) => r.score };
  return pageBy<PairRow>(q, "dp.id", sort, query.limit, query.cursor);
}

const pairOf = <T>(row: PairRow, records: Map<string, T>) => ({
  id: row.id,
  score: Number(row.score),
  reasons: row.reasons,
  a: records.get(row.a_id)!,
  b: records.get(row.b_id)!,
  foundAt: iso(row.created_at),
});

const idsOf = (rows: PairRow[]) => [...new Set(rows.flatMap((r) => [r.a_id, r.b_id]))];

export async function listContactPairs(
  db: Knex,
  p: Principal,
  query: Query,
): Promise<{ items: ContactDuplicatePair[]; nextCursor: string | null }> {
  const page = await pagePairs(db, p, "contacts", query);
  const ids = idsOf(page.rows);
  const rows = ids.length > 0 ? ((await selectContacts(db).whereIn("c.id", ids)) as ContactRow[]) : [];
  const byId = new Map(rows.map((row) => [row.id, toContact(row)]));
  return { items: page.rows.map((r) => pairOf(r, byId)), nextCursor: page.nextCursor };
}

export async function listCompanyPairs(
  db: Knex,
  p: Principal,
  query: Query,
): Promise<{ items: CompanyDuplicatePair[]; nextCursor: string | null }> {
  const page = await pagePairs(db, p, "companies", query);
  const ids = idsOf(page.rows);
  const rows = ids.length > 0 ? ((await selectCompanies(db).whereIn("co.id", ids)) as CompanyRow[]) : [];
  const byId = new Map(rows.map((row) => [row.id, toCompany(row)]));
  return { items: page.rows.map((r) => pairOf(r, byId)), nextCursor: page.nextCursor };
}

/**
 * "Not duplicates": the pair stays stored as dismissed, so no later scan shows it again. Only someone who
 * may see both records decides that.
 */
export async function dismissPair(db: Knex, p: Principal, pairId: string): Promise<void> {
  const pair = await db("duplicate_pairs")
    .where("id", pairId)
    .first<{ entity: Entity; a_id: string; b_id: string } | undefined>("entity", "a_id", "b_id");
  if (!pair) {
    throw notFound("duplicate pair");
  }
  for (const id of [pair.a_id, pair.b_id]) {
    await assertRecordInScope(db, p, pair.entity, pair.entity, id, notFound("duplicate pair"));
  }
  await db("duplicate_pairs")
    .where("id", pairId)
    .whereNull("dismissed_at")
    .update({ dismissed_at: db.fn.now(), dismissed_by: p.userId });
}
