import { randomUUID } from "node:crypto";
import type { Product } from "@okno/contracts";
import type { Knex } from "knex";
import { selectProducts, toProduct, type ProductRow } from "../products/repo.ts";
import type { ProductDraft } from "./drafts.ts";
import type { ExistingIndex } from "./plan.ts";
import { auditImported, inChunks, recordset, type WriteContext } from "./writeContext.ts";

export interface ProductCreateItem {
  row: number;
  draft: ProductDraft;
}

export interface ProductUpdateItem extends ProductCreateItem {
  recordId: string;
}

const CHUNK = 5000;

/** Existing products by артикул, then by 1C key. The catalogue is not scoped: every product is in scope. */
export async function findExistingProducts(db: Knex, drafts: ProductDraft[]): Promise<ExistingIndex> {
  const index: ExistingIndex = new Map();
  const lookup = (column: string) => (values: string[]) =>
    db("products")
      .whereIn(column, values)
      .orderBy([{ column: "created_at" }, { column: "id" }])
      .select<{ value: string; id: string }[]>(`${column} as value`, "id");
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  for (const [prefix, column, values] of [
    ["sku", "sku", distinct(drafts.map((d) => d.sku))],
    ["ext", "external_id", distinct(drafts.map((d) => d.externalId))],
  ] as const) {
    for (const h of await inChunks(values, CHUNK, lookup(column))) {
      index.set(`${prefix}:${h.value}`, [{ id: h.id, guard: null, inScope: true }]);
    }
  }
  return index;
}

async function loadProducts(trx: Knex.Transaction, ids: string[]): Promise<Map<string, Product>> {
  const rows = (await selectProducts(trx).whereIn("pr.id", ids)) as ProductRow[];
  return new Map(rows.map((r) => [r.id, toProduct(r)]));
}

const columnsOf = (d: ProductDraft) => ({
  name: d.name,
  sku: d.sku,
  unit: d.unit,
  price: d.price,
  vat_rate: d.vatRate,
  external_id: d.externalId,
  is_active: d.isActive,
});

export async function createProducts(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: ProductCreateItem[],
): Promise<void> {
  const ids = items.map(() => randomUUID());
  await trx("products").insert(
    items.map((item, i) => {
      const columns = columnsOf(item.draft);
      // The database defaults (unit «шт», active) apply where the file is silent.
      return { id: ids[i], ...columns, unit: columns.unit ?? "шт", is_active: columns.is_active ?? true };
    }),
  );
  const after = await loadProducts(trx, ids);
  const changes = items.map((item, i) => ({
    recordId: ids[i]!,
    row: item.row,
    before: null,
    after: after.get(ids[i]!)!,
  }));
  await auditImported(trx, ctx, "products", changes);
}

/** Fills existing products in from the price list: prices, units and VAT the file gives replace the stored ones. */
export async function updateProducts(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: ProductUpdateItem[],
): Promise<void> {
  const ids = items.map((i) => i.recordId);
  const before = await loadProducts(trx, ids);
  const set = ["name", "sku", "unit", "price", "vat_rate", "external_id", "is_active"]
    .map((c) => `${c} = coalesce(v.${c}, pr.${c})`)
    .join(", ");
  await trx.raw(
    `update products as pr set ${set}, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as v(id uuid, name text, sku text, unit text, price bigint,
       vat_rate smallint, external_id text, is_active boolean)
     where pr.id = v.id`,
    [recordset(items.map((i) => ({ id: i.recordId, ...columnsOf(i.draft) })))],
  );
  const after = await loadProducts(trx, ids);
  const changes = items.map((i) => ({
    recordId: i.recordId,
    row: i.row,
    before: before.get(i.recordId)!,
    after: after.get(i.recordId)!,
  }));
  await auditImported(trx, ctx, "products", changes);
}
