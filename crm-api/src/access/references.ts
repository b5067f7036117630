import type { Knex } from "knex";
import { badRequest } from "../errors.ts";

/** Shared reference records (not scoped): any user may point at any of them. */
type ReferenceTable = "sources" | "campaigns";

const NOUN: Record<ReferenceTable, string> = { sources: "source", campaigns: "campaign" };

/**
 * Each referenced source or campaign must exist: a 400 naming the field is more useful to a client than
 * the foreign-key violation the insert would otherwise hit.
 */
export async function assertReferencesExist(
  db: Knex | Knex.Transaction,
  refs: { field: string; table: ReferenceTable; id: string | null | undefined }[],
): Promise<void> {
  const fields: Record<string, string> = {};
  for (const { field, table, id } of refs) {
    if (id && !(await db(table).where("id", id).first("id"))) {
      fields[`body.${field}`] = `no such ${NOUN[table]}`;
    }
  }
  if (Object.keys(fields).length > 0) {
    throw badRequest("unknown referenced record", fields);
  }
}
