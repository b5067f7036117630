import type { Knex } from "knex";

/**
 * The names behind the ids of one page (responsible user, company, stage…): loaded with one query just
 * before the page is written, so columns stay plain synchronous functions and memory stays one page.
 */
export interface NameBook {
  load(ids: (string | null)[]): Promise<void>;
  name(id: string | null): string | null;
}

export function nameBook(db: Knex, table: string, column = "name"): NameBook {
  let names = new Map<string, string>();
  return {
    async load(ids) {
      const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
      const rows =
        wanted.length === 0
          ? []
          : await db(table)
              .whereIn("id", wanted)
              .select<{ id: string; name: string }[]>("id", `${column} as name`);
      names = new Map(rows.map((r) => [r.id, r.name]));
    },
    name: (id) => (id === null ? null : (names.get(id) ?? null)),
  };
}
