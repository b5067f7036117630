import { createHash } from "node:crypto";
import type { Knex } from "knex";

/**
 * A raw query PostgreSQL parses and plans once per connection (a named prepared statement), for the
 * large statements on the hot path: bench:cti measured the call's first read at 5 ms as a one-off
 * statement and 0.8 ms prepared — the rest was parsing and planning. The name carries a hash of the
 * text, so two texts can never share a name. PGlite ignores the name.
 */
export function preparedRaw<T>(
  db: Knex | Knex.Transaction,
  name: string,
  sql: string,
  bindings: Knex.RawBinding[] | Knex.ValueDict,
): Knex.Raw<T> {
  let id = names.get(sql);
  if (!id) {
    id = `${name}_${createHash("sha1").update(sql).digest("hex").slice(0, 12)}`;
    names.set(sql, id);
  }
  return db.raw<T>(sql, bindings).options({ name: id });
}

// Statement texts are few and fixed (built from constants), so this stays small.
const names = new Map<string, string>();
