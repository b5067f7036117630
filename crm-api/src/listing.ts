import type { Knex } from "knex";
import { decodeCursor, encodeCursor, iso } from "./cursor.ts";

/** One way of ordering a list: an SQL expression, its direction, and how to read the key from a row. */
export interface SortKey<Row> {
  expr: string;
  desc: boolean;
  value: (row: Row) => string | number | null;
}

/**
 * Keyset pagination over (sort expression, id): stable under inserts and as fast on page 1,000 as on
 * page 1. Fetches one extra row to know whether another page exists.
 */
export async function pageBy<Row extends { id: string }>(
  q: Knex.QueryBuilder,
  idColumn: string,
  sort: SortKey<Row>,
  limit: number,
  cursor: string | undefined,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const op = sort.desc ? "<" : ">";
  const dir = sort.desc ? "desc" : "asc";
  if (cursor) {
    const [key, id] = decodeCursor(cursor, 2);
    q.whereRaw(`(${sort.expr}, ${idColumn}) ${op} (?, ?)`, [key ?? null, id ?? null]);
  }
  const rows = (await q.orderByRaw(`${sort.expr} ${dir}, ${idColumn} ${dir}`).limit(limit + 1)) as Row[];
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { rows: pageRows, nextCursor: hasMore && last ? encodeCursor([sort.value(last), last.id]) : null };
}

/** Sort keys every list offers: created, updated, plus entity-specific ones. */
export function timeSort<Row extends { created_at: Date; updated_at: Date }>(
  alias: string,
  field: "createdAt" | "updatedAt",
  desc: boolean,
): SortKey<Row> {
  const column = field === "createdAt" ? "created_at" : "updated_at";
  return { expr: `${alias}.${column}`, desc, value: (r) => iso(r[column]) };
}

/** Escapes LIKE wildcards in user text, so "100%" or "a_b" match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
