import type { Product, ProductCreate, ProductListQuery, ProductPage, ProductUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { conflict, notFound } from "../errors.ts";
import { pageBy, type SortKey } from "../listing.ts";
import { iso } from "../cursor.ts";
import {
  findProductRowById,
  findTakenKeys,
  insertProduct,
  selectProducts,
  toProduct,
  updateProductColumns,
  whereProductMatches,
  type ProductRow,
} from "./repo.ts";

const productNotFound = () => notFound("product");

type ListQuery = z.output<typeof ProductListQuery>;

function productSort(sort: ListQuery["sort"]): SortKey<ProductRow> {
  const desc = sort.startsWith("-");
  if (sort.endsWith("name")) {
    return { expr: "lower(pr.name)", desc, value: (r) => r.sort_name };
  }
  return { expr: "pr.created_at", desc, value: (r) => iso(r.created_at) };
}

/** One page of the catalogue; products are not owner-scoped, so every signed-in user sees all of them. */
export async function listProducts(db: Knex, query: ListQuery): Promise<z.output<typeof ProductPage>> {
  const builder = selectProducts(db);
  if (query.q) {
    whereProductMatches(builder, query.q);
  }
  if (query.isActive !== undefined) {
    builder.where("pr.is_active", query.isActive);
  }
  const page = await pageBy<ProductRow>(builder, "pr.id", productSort(query.sort), query.limit, query.cursor);
  return { items: page.rows.map(toProduct), nextCursor: page.nextCursor };
}

export async function getProduct(db: Knex, id: string): Promise<Product> {
  const row = await findProductRowById(db, id);
  if (!row) {
    throw productNotFound();
  }
  return toProduct(row);
}

/** 409 naming the field when the артикул or the 1C key already belongs to another product. */
async function assertKeysFree(db: Knex, input: ProductUpdate, exceptId?: string): Promise<void> {
  const taken = await findTakenKeys(db, input, exceptId);
  if (Object.keys(taken).length > 0) {
    const fields = Object.fromEntries(
      Object.entries(taken).map(([field, id]) => [`body.${field}`, `already used by product ${id}`]),
    );
    throw conflict("another product has this артикул or 1C key", fields);
  }
}

export async function createProduct(db: Knex, p: Principal, input: ProductCreate): Promise<Product> {
  await assertKeysFree(db, input);
  return db.transaction(async (trx) => {
    const id = await insertProduct(trx, input);
    const product = toProduct((await findProductRowById(trx, id))!);
    await recordAudit(trx, actorOf(p), {
      entity: "products",
      recordId: id,
      action: "create",
      after: product,
    });
    return product;
  });
}

export async function updateProduct(
  db: Knex,
  p: Principal,
  id: string,
  input: ProductUpdate,
): Promise<Product> {
  await assertKeysFree(db, input, id);
  return db.transaction(async (trx) => {
    const before = await selectProducts(trx).where("pr.id", id).forUpdate().first<ProductRow | undefined>();
    if (!before) {
      throw productNotFound();
    }
    await updateProductColumns(trx, id, input);
    const after = toProduct((await findProductRowById(trx, id))!);
    await recordAudit(trx, actorOf(p), {
      entity: "products",
      recordId: id,
      action: "update",
      before: toProduct(before),
      after,
    });
    return after;
  });
}
