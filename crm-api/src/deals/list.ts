import type { DealListQuery, DealPage } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { whereInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { applyFieldQuery } from "../fields/query.ts";
import { pageBy, timeSort, type SortKey } from "../listing.ts";
import { selectDeals, toDeal, whereDealMatches, type DealRow } from "./repo.ts";

type ListQuery = z.output<typeof DealListQuery>;

function dealSort(sort: ListQuery["sort"]): SortKey<DealRow> {
  const desc = sort.startsWith("-");
  const field = sort.replace("-", "") as "amount" | "createdAt" | "updatedAt";
  if (field === "amount") {
    return { expr: "d.amount", desc, value: (r) => Number(r.amount) };
  }
  return timeSort<DealRow>("d", field, desc);
}

// Filters that are plain equality on a deal column.
const EQUALITY_FILTERS = {
  pipelineId: "d.pipeline_id",
  stageId: "d.stage_id",
  ownerId: "d.owner_id",
  companyId: "d.company_id",
  contactId: "d.contact_id",
} as const;

/** One page of the deals the principal may see, filtered and sorted; exports page through it too. */
export async function listDeals(
  db: Knex,
  p: Principal,
  query: ListQuery,
): Promise<z.output<typeof DealPage>> {
  const builder = whereInScope(selectDeals(db), db, p, "deals", "d.owner_id");
  if (query.q) {
    whereDealMatches(builder, query.q);
  }
  for (const [param, column] of Object.entries(EQUALITY_FILTERS)) {
    const value = query[param as keyof typeof EQUALITY_FILTERS];
    if (value) {
      builder.where(column, value);
    }
  }
  const { sort, limit, cursor } = query;
  const fieldSort = await applyFieldQuery<DealRow>(db, builder, { entity: "deals", alias: "d" }, query);
  const page = await pageBy<DealRow>(builder, "d.id", fieldSort ?? dealSort(sort), limit, cursor);
  return { items: page.rows.map(toDeal), nextCursor: page.nextCursor };
}
