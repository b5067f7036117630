import type { Company, CompanyCreate, CompanyUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { escapeLike } from "../listing.ts";
import { iso } from "../cursor.ts";

export interface CompanyRow {
  id: string;
  name: string;
  /** lower(name) as the database computes it: the keyset cursor must compare what the index holds. */
  sort_name: string;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  external_id: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  address: string | null;
  note: string | null;
  owner_id: string;
  source_id: string | null;
  fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export function selectCompanies(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("companies as co").select(
    "co.id",
    "co.name",
    db.raw("lower(co.name) as sort_name"),
    "co.inn",
    "co.kpp",
    "co.ogrn",
    "co.external_id",
    "co.phone",
    "co.email",
    "co.website",
    "co.address",
    "co.note",
    "co.owner_id",
    "co.source_id",
    "co.fields",
    "co.created_at",
    "co.updated_at",
  );
}

export function toCompany(row: CompanyRow): Company {
  return {
    id: row.id,
    name: row.name,
    inn: row.inn,
    kpp: row.kpp,
    ogrn: row.ogrn,
    externalId: row.external_id,
    phone: row.phone,
    email: row.email,
    website: row.website,
    address: row.address,
    note: row.note,
    ownerId: row.owner_id,
    sourceId: row.source_id,
    fields: row.fields,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function findCompanyRowById(db: Knex | Knex.Transaction, id: string): Promise<CompanyRow | undefined> {
  return selectCompanies(db).where("co.id", id).first();
}

/**
 * Free-text search: a 10- or 12-digit query is an exact ИНН (indexed); anything else must contain every
 * word in the name (trigram index on lower(name)).
 */
export function whereCompanyMatches(q: Knex.QueryBuilder, text: string): Knex.QueryBuilder {
  if (/^\d{10}$|^\d{12}$/.test(text)) {
    return q.where("co.inn", text);
  }
  for (const word of text.split(/\s+/).filter(Boolean).slice(0, 5)) {
    q.whereRaw("lower(co.name) like lower(?)", [`%${escapeLike(word)}%`]);
  }
  return q;
}

/** A company by ИНН (the oldest when branches share it), or else by exact name ignoring case. */
export async function findCompanyIdByInnOrName(
  db: Knex | Knex.Transaction,
  inn: string | null,
  name: string | null,
): Promise<string | undefined> {
  const oldest = (q: Knex.QueryBuilder) =>
    q.orderBy([{ column: "created_at" }, { column: "id" }]).first<{ id: string } | undefined>("id");
  const byInn = inn ? await oldest(db("companies").where("inn", inn)) : undefined;
  if (byInn) {
    return byInn.id;
  }
  const byName = name ? await oldest(db("companies").whereRaw("lower(name) = lower(?)", [name])) : undefined;
  return byName?.id;
}

export async function externalIdTaken(
  db: Knex | Knex.Transaction,
  externalId: string,
  exceptId?: string,
): Promise<boolean> {
  const q = db("companies").where("external_id", externalId);
  return (await (exceptId ? q.whereNot("id", exceptId) : q).first("id")) !== undefined;
}

function toColumns(input: Partial<CompanyCreate>): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: input.name,
    inn: input.inn,
    kpp: input.kpp,
    ogrn: input.ogrn,
    external_id: input.externalId,
    phone: input.phone,
    email: input.email,
    website: input.website,
    address: input.address,
    note: input.note,
    owner_id: input.ownerId,
    source_id: input.sourceId,
    // Validated and merged by the service (fields/values.ts): the complete new set.
    fields: input.fields === undefined ? undefined : JSON.stringify(input.fields),
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function insertCompany(
  db: Knex.Transaction,
  input: CompanyCreate & { ownerId: string; createdBy: string },
): Promise<string> {
  const [row] = await db("companies")
    .insert({ ...toColumns(input), created_by: input.createdBy })
    .returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateCompanyColumns(
  db: Knex.Transaction,
  id: string,
  input: CompanyUpdate,
): Promise<void> {
  await db("companies")
    .where("id", id)
    .update({ ...toColumns(input), updated_at: db.fn.now() });
}

export async function deleteCompany(db: Knex | Knex.Transaction, id: string): Promise<void> {
  await db("companies").where("id", id).delete();
}
