import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { whereInScope } from "../access/scope.ts";
import { selectCompanies, toCompany, type CompanyRow } from "../companies/repo.ts";
import type { ContactDraft } from "./drafts.ts";
import { auditImported, whereExprIn, type WriteContext } from "./writeContext.ts";

type CompanyRef = NonNullable<ContactDraft["company"]>;

/** One company per ИНН; without an ИНН, per name ignoring case. */
export function companyRefKey(ref: CompanyRef): string {
  return ref.inn ? `inn:${ref.inn}` : `name:${(ref.name ?? "").toLowerCase()}`;
}

interface Wanted {
  ref: CompanyRef;
  ownerId: string;
  row: number;
}

/**
 * The company of every contact row that names one, as ids by `companyRefKey`. An ИНН identifies a legal
 * entity, so it finds the company whoever owns it; a bare name only finds companies the importer can see
 * (the same name elsewhere may be another firm). Companies found nowhere are created, owned by the
 * contact's responsible user, and audited like the contacts; a ref with an ИНН but no name is only linked.
 */
export async function resolveCompanies(
  trx: Knex.Transaction,
  ctx: WriteContext,
  wanted: Wanted[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const inns = [...new Set(wanted.flatMap((w) => (w.ref.inn ? [w.ref.inn] : [])))];
  const names = [
    ...new Set(wanted.flatMap((w) => (!w.ref.inn && w.ref.name ? [w.ref.name.toLowerCase()] : []))),
  ];
  if (inns.length > 0) {
    const rows = await trx("companies")
      .whereIn("inn", inns)
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .select<{ id: string; inn: string }[]>("id", "inn");
    // Newest first, so the oldest company of an ИНН (the head office) is the one kept.
    rows.forEach((r) => ids.set(`inn:${r.inn}`, r.id));
  }
  if (names.length > 0) {
    const q = whereExprIn(trx("companies as co"), "lower(co.name)", names)
      .orderBy([
        { column: "co.created_at", order: "desc" },
        { column: "co.id", order: "desc" },
      ])
      .select<{ id: string; lname: string }[]>("co.id", trx.raw("lower(co.name) as lname"));
    const rows = (await whereInScope(q, trx, ctx.principal, "companies", "co.owner_id")) as {
      id: string;
      lname: string;
    }[];
    rows.forEach((r) => ids.set(`name:${r.lname}`, r.id));
  }
  await createMissing(trx, ctx, wanted, ids);
  return ids;
}

async function createMissing(
  trx: Knex.Transaction,
  ctx: WriteContext,
  wanted: Wanted[],
  ids: Map<string, string>,
): Promise<void> {
  const created: { id: string; row: number; columns: Record<string, unknown> }[] = [];
  for (const w of wanted) {
    const key = companyRefKey(w.ref);
    if (ids.has(key) || !w.ref.name) {
      continue;
    }
    const id = randomUUID();
    ids.set(key, id);
    created.push({
      id,
      row: w.row,
      columns: {
        id,
        name: w.ref.name,
        inn: w.ref.inn,
        owner_id: w.ownerId,
        created_by: ctx.principal.userId,
      },
    });
  }
  if (created.length === 0) {
    return;
  }
  await trx("companies").insert(created.map((c) => c.columns));
  const rows = (await selectCompanies(trx).whereIn(
    "co.id",
    created.map((c) => c.id),
  )) as CompanyRow[];
  const byId = new Map(rows.map((r) => [r.id, toCompany(r)]));
  await auditImported(
    trx,
    ctx,
    "companies",
    created.map((c) => ({ recordId: c.id, row: c.row, before: null, after: byId.get(c.id)! })),
  );
}
