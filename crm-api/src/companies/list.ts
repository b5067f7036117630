import type { CompanyListQuery, CompanyPage } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { whereInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { applyFieldQuery } from "../fields/query.ts";
import { pageBy, timeSort, type SortKey } from "../listing.ts";
import { selectCompanies, toCompany, whereCompanyMatches, type CompanyRow } from "./repo.ts";

type ListQuery = z.output<typeof CompanyListQuery>;

function companySort(sort: ListQuery["sort"]): SortKey<CompanyRow> {
  const desc = sort.startsWith("-");
  const field = sort.replace("-", "") as "name" | "createdAt" | "updatedAt";
  if (field === "name") {
    return { expr: "lower(co.name)", desc, value: (r) => r.sort_name };
  }
  return timeSort<CompanyRow>("co", field, desc);
}

/** One page of the companies the principal may see, filtered and sorted; exports page through it too. */
export async function listCompanies(
  db: Knex,
  p: Principal,
  query: ListQuery,
): Promise<z.output<typeof CompanyPage>> {
  const { q, ownerId, inn, sort, limit, cursor } = query;
  const builder = whereInScope(selectCompanies(db), db, p, "companies", "co.owner_id");
  if (q) {
    whereCompanyMatches(builder, q);
  }
  if (ownerId) {
    builder.where("co.owner_id", ownerId);
  }
  if (inn) {
    builder.where("co.inn", inn);
  }
  const target = { entity: "companies", alias: "co" } as const;
  const fieldSort = await applyFieldQuery<CompanyRow>(db, builder, target, query);
  const page = await pageBy<CompanyRow>(builder, "co.id", fieldSort ?? companySort(sort), limit, cursor);
  return { items: page.rows.map(toCompany), nextCursor: page.nextCursor };
}
