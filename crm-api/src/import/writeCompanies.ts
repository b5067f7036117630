import { randomUUID } from "node:crypto";
import type { Company } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { selectCompanies, toCompany, type CompanyRow } from "../companies/repo.ts";
import type { CompanyDraft } from "./drafts.ts";
import type { ExistingIndex } from "./plan.ts";
import { auditImported, inChunks, recordset, whereExprIn, type WriteContext } from "./writeContext.ts";

export interface CompanyCreateItem {
  row: number;
  draft: CompanyDraft;
  ownerId: string;
}

export interface CompanyUpdateItem extends CompanyCreateItem {
  recordId: string;
}

const CHUNK = 5000;

/** Existing companies by ИНН, by exact name (ignoring case) and by 1C key. */
export async function findExistingCompanies(
  db: Knex,
  p: Principal,
  drafts: CompanyDraft[],
): Promise<ExistingIndex> {
  const index: ExistingIndex = new Map();
  type Hit = { value: string; id: string; inn: string | null; owner_id: string; path: string };
  const lookup = (expr: string) => (values: string[]) =>
    whereExprIn(
      db("companies as co")
        .join("users as u", "u.id", "co.owner_id")
        .join("departments as d", "d.id", "u.department_id"),
      expr,
      values,
    )
      .orderBy([{ column: "co.created_at" }, { column: "co.id" }])
      .select<Hit[]>(db.raw(`${expr} as value`), "co.id", "co.inn", "co.owner_id", "d.path");
  const add = (prefix: string, hits: Hit[], guarded: boolean) => {
    for (const h of hits) {
      const inScope = canSee(p, "companies", { userId: h.owner_id, departmentPath: h.path });
      const key = `${prefix}:${h.value}`;
      index.set(key, [...(index.get(key) ?? []), { id: h.id, guard: guarded ? h.inn : null, inScope }]);
    }
  };
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  add("inn", await inChunks(distinct(drafts.map((d) => d.inn)), CHUNK, lookup("co.inn")), false);
  add(
    "name",
    await inChunks(distinct(drafts.map((d) => d.name.toLowerCase())), CHUNK, lookup("lower(co.name)")),
    true,
  );
  add(
    "ext",
    await inChunks(distinct(drafts.map((d) => d.externalId)), CHUNK, lookup("co.external_id")),
    false,
  );
  return index;
}

async function loadCompanies(trx: Knex.Transaction, ids: string[]): Promise<Map<string, Company>> {
  const rows = (await selectCompanies(trx).whereIn("co.id", ids)) as CompanyRow[];
  return new Map(rows.map((r) => [r.id, toCompany(r)]));
}

const columnsOf = (d: CompanyDraft) => ({
  name: d.name,
  inn: d.inn,
  kpp: d.kpp,
  ogrn: d.ogrn,
  phone: d.phone,
  email: d.email,
  website: d.website,
  address: d.address,
  note: d.note,
  external_id: d.externalId,
});

export async function createCompanies(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: CompanyCreateItem[],
): Promise<void> {
  const ids = items.map(() => randomUUID());
  await trx("companies").insert(
    items.map((item, i) => ({
      id: ids[i],
      ...columnsOf(item.draft),
      owner_id: item.ownerId,
      created_by: ctx.principal.userId,
    })),
  );
  const after = await loadCompanies(trx, ids);
  const changes = items.map((item, i) => ({
    recordId: ids[i]!,
    row: item.row,
    before: null,
    after: after.get(ids[i]!)!,
  }));
  await auditImported(trx, ctx, "companies", changes);
}

/** Fills existing companies in: what the file gives replaces what is stored; empty cells change nothing. */
export async function updateCompanies(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: CompanyUpdateItem[],
): Promise<void> {
  const ids = items.map((i) => i.recordId);
  const before = await loadCompanies(trx, ids);
  const set = [
    "name",
    "inn",
    "kpp",
    "ogrn",
    "phone",
    "email",
    "website",
    "address",
    "note",
    "external_id",
    "owner_id",
  ]
    .map((c) => `${c} = coalesce(v.${c}, co.${c})`)
    .join(", ");
  await trx.raw(
    `update companies as co set ${set}, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as v(id uuid, name text, inn text, kpp text, ogrn text, phone text,
       email text, website text, address text, note text, external_id text, owner_id uuid)
     where co.id = v.id`,
    [
      recordset(
        items.map((i) => ({
          id: i.recordId,
          ...columnsOf(i.draft),
          owner_id: i.draft.owner ? i.ownerId : null,
        })),
      ),
    ],
  );
  const after = await loadCompanies(trx, ids);
  const changes = items.map((i) => ({
    recordId: i.recordId,
    row: i.row,
    before: before.get(i.recordId)!,
    after: after.get(i.recordId)!,
  }));
  await auditImported(trx, ctx, "companies", changes);
}
