import type { Knex } from "knex";

/** A column that holds a foreign key to a merged table's id. */
export interface Reference {
  table: string;
  column: string;
}

export type MergedTable = "contacts" | "companies";

/**
 * Every single-column foreign key pointing at `table`, read from the catalog: a table added next year is
 * moved by a merge (and checked by the orphan test) without anyone remembering to list it here.
 */
export async function referencesTo(db: Knex | Knex.Transaction, table: MergedTable): Promise<Reference[]> {
  const result = await db.raw<{ rows: Reference[] }>(
    `select cl.relname as "table", a.attname as "column"
     from pg_constraint c
     join pg_class cl on cl.oid = c.conrelid
     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.confrelid = ?::regclass and cardinality(c.conkey) = 1
     order by 1, 2`,
    [table],
  );
  return result.rows;
}

type Mover = (trx: Knex.Transaction, survivorId: string, mergedIds: string[]) => Promise<number>;

/** Numbers and e-mails keep their order: the survivor's first, then each merged contact's in turn. */
const renumber =
  (table: "contact_phones" | "contact_emails"): Mover =>
  async (trx, survivorId, mergedIds) => {
    const all = [survivorId, ...mergedIds];
    const moved = await trx(table)
      .whereIn("contact_id", mergedIds)
      .count<{ n: string | number }[]>({ n: "*" });
    await trx.raw(
      `update ${table} t set contact_id = ?, position = o.n
       from (select id, row_number() over (
               order by array_position(?::uuid[], contact_id), position, id) - 1 as n
             from ${table} where contact_id = any(?::uuid[])) o
       where t.id = o.id`,
      [survivorId, all, all],
    );
    return Number(moved[0]?.n ?? 0);
  };

/** The same e-mail on both contacts is kept once. */
const moveEmails: Mover = async (trx, survivorId, mergedIds) => {
  await trx.raw(
    `delete from contact_emails m
     where m.contact_id = any(?::uuid[])
       and (exists (select 1 from contact_emails s where s.contact_id = ? and lower(s.email) = lower(m.email))
            or exists (select 1 from contact_emails e where e.contact_id = any(?::uuid[])
                       and lower(e.email) = lower(m.email) and e.id < m.id))`,
    [mergedIds, survivorId, mergedIds],
  );
  return renumber("contact_emails")(trx, survivorId, mergedIds);
};

/**
 * A link the survivor already has is dropped rather than doubled; the survivor keeps one primary company
 * (its own, or else the first merged contact's).
 */
const moveContactCompanies: Mover = async (trx, survivorId, mergedIds) => {
  const links = await trx("contact_companies")
    .whereIn("contact_id", [survivorId, ...mergedIds])
    .select<{ contact_id: string; company_id: string; is_primary: boolean }[]>(
      "contact_id",
      "company_id",
      "is_primary",
    );
  const order = (id: string) => (id === survivorId ? -1 : mergedIds.indexOf(id));
  const primary = links
    .filter((l) => l.is_primary)
    .sort((x, y) => order(x.contact_id) - order(y.contact_id))[0]?.company_id;
  const kept = new Set(links.filter((l) => l.contact_id === survivorId).map((l) => l.company_id));
  let moved = 0;
  for (const link of links.filter((l) => l.contact_id !== survivorId)) {
    const where = { contact_id: link.contact_id, company_id: link.company_id };
    if (kept.has(link.company_id)) {
      await trx("contact_companies").where(where).delete();
    } else {
      kept.add(link.company_id);
      moved += await trx("contact_companies").where(where).update({ contact_id: survivorId });
    }
  }
  await trx("contact_companies")
    .where("contact_id", survivorId)
    .update({ is_primary: trx.raw("company_id is not distinct from ?", [primary ?? null]) });
  return moved;
};

/** Contacts linked to both companies keep one link, primary if either was. */
const moveCompanyContacts: Mover = async (trx, survivorId, mergedIds) => {
  await trx.raw(
    `update contact_companies s set is_primary = true
     from contact_companies m
     where s.company_id = ? and m.contact_id = s.contact_id and m.company_id = any(?::uuid[]) and m.is_primary`,
    [survivorId, mergedIds],
  );
  await trx.raw(
    `delete from contact_companies m
     where m.company_id = any(?::uuid[])
       and (exists (select 1 from contact_companies s where s.company_id = ? and s.contact_id = m.contact_id)
            or exists (select 1 from contact_companies o where o.company_id = any(?::uuid[])
                       and o.contact_id = m.contact_id and o.company_id < m.company_id))`,
    [mergedIds, survivorId, mergedIds],
  );
  return trx("contact_companies").whereIn("company_id", mergedIds).update({ company_id: survivorId });
};

/** Candidate pairs are derived data: the next scan finds the survivor's pairs again. */
const dropPairs =
  (column: string): Mover =>
  (trx, _survivorId, mergedIds) =>
    trx("duplicate_pairs").whereIn(column, mergedIds).delete();

/** References a plain `update … set column = survivor` would get wrong. */
const SPECIAL: Record<string, Mover> = {
  "contact_phones.contact_id": renumber("contact_phones"),
  "contact_emails.contact_id": moveEmails,
  "contact_companies.contact_id": moveContactCompanies,
  "contact_companies.company_id": moveCompanyContacts,
  "duplicate_pairs.contact_a_id": dropPairs("contact_a_id"),
  "duplicate_pairs.contact_b_id": dropPairs("contact_b_id"),
  "duplicate_pairs.company_a_id": dropPairs("company_a_id"),
  "duplicate_pairs.company_b_id": dropPairs("company_b_id"),
};

/**
 * Points every reference to the merged records at the survivor. Returns how many rows moved per
 * "table.column" (for the audit entry); dropped derived rows are not counted.
 */
export async function moveReferences(
  trx: Knex.Transaction,
  table: MergedTable,
  survivorId: string,
  mergedIds: string[],
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const ref of await referencesTo(trx, table)) {
    const key = `${ref.table}.${ref.column}`;
    const special = SPECIAL[key];
    const n = special
      ? await special(trx, survivorId, mergedIds)
      : await trx(ref.table)
          .whereIn(ref.column, mergedIds)
          .update({ [ref.column]: survivorId });
    if (n > 0 && !key.startsWith("duplicate_pairs.")) {
      moved[key] = n;
    }
  }
  return moved;
}
