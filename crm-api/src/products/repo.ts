import type { Product, ProductCreate, ProductUpdate, VatRate } from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";
import { escapeLike } from "../listing.ts";

export interface ProductRow {
  id: string;
  name: string;
  /** lower(name) as the database computes it, for the keyset cursor of the name sort. */
  sort_name: string;
  sku: string | null;
  unit: string;
  price: number | string | null;
  vat_rate: number | null;
  external_id: string | null;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

export function selectProducts(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("products as pr").select(
    "pr.id",
    "pr.name",
    db.raw("lower(pr.name) as sort_name"),
    "pr.sku",
    "pr.unit",
    "pr.price",
    "pr.vat_rate",
    "pr.external_id",
    "pr.is_active",
    "pr.created_at",
    "pr.updated_at",
  );
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    sku: row.sku,
    unit: row.unit,
    // bigint arrives as a string from PGlite and as a number from node-postgres (db/src/openDb.ts).
    price: row.price === null ? null : Number(row.price),
    vatRate: row.vat_rate as VatRate | null,
    externalId: row.external_id,
    isActive: row.is_active,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function findProductRowById(db: Knex | Knex.Transaction, id: string): Promise<ProductRow | undefined> {
  return selectProducts(db).where("pr.id", id).first();
}

/** Every word in the name (trigram index on lower(name)), or an артикул starting with the text. */
export function whereProductMatches(q: Knex.QueryBuilder, text: string): Knex.QueryBuilder {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  return q.where((w) => {
    void w
      .where((byName) => {
        for (const word of words) {
          void byName.whereRaw("lower(pr.name) like ?", [`%${escapeLike(word)}%`]);
        }
      })
      .orWhere("pr.sku", "like", `${escapeLike(text)}%`);
  });
}

/** Which of `sku` and `externalId` another product already has: field → that product's id. */
export async function findTakenKeys(
  db: Knex | Knex.Transaction,
  keys: { sku?: string | null | undefined; externalId?: string | null | undefined },
  exceptId?: string,
): Promise<Record<string, string>> {
  const taken: Record<string, string> = {};
  for (const [field, column, value] of [
    ["sku", "sku", keys.sku],
    ["externalId", "external_id", keys.externalId],
  ] as const) {
    if (!value) {
      continue;
    }
    const q = db("products").where(column, value);
    const row = await (exceptId ? q.whereNot("id", exceptId) : q).first<{ id: string } | undefined>("id");
    if (row) {
      taken[field] = row.id;
    }
  }
  return taken;
}

export function toProductColumns(input: Partial<ProductCreate>): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: input.name,
    sku: input.sku,
    unit: input.unit,
    price: input.price,
    vat_rate: input.vatRate,
    external_id: input.externalId,
    is_active: input.isActive,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function insertProduct(db: Knex.Transaction, input: ProductCreate): Promise<string> {
  const [row] = await db("products").insert(toProductColumns(input)).returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateProductColumns(
  db: Knex.Transaction,
  id: string,
  input: ProductUpdate,
): Promise<void> {
  await db("products")
    .where("id", id)
    .update({ ...toProductColumns(input), updated_at: db.fn.now() });
}
