import type { LeadListQuery, LeadPage } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import { whereInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { applyFieldQuery } from "../fields/query.ts";
import { pageBy, timeSort } from "../listing.ts";
import { selectLeads, toLead, whereLeadMatches, type LeadRow } from "./repo.ts";

type ListQuery = z.output<typeof LeadListQuery>;

/** One page of the leads the principal may see, filtered and sorted; exports page through it too. */
export async function listLeads(
  db: Knex,
  p: Principal,
  query: ListQuery,
): Promise<z.output<typeof LeadPage>> {
  const { q, status, ownerId, sourceId, campaignId, sort, limit, cursor } = query;
  const builder = whereInScope(selectLeads(db), db, p, "leads", "l.owner_id");
  if (q) {
    whereLeadMatches(builder, q);
  }
  if (status) {
    builder.where("l.status", status);
  }
  if (ownerId) {
    builder.where("l.owner_id", ownerId);
  }
  if (sourceId) {
    builder.where("l.source_id", sourceId);
  }
  if (campaignId) {
    builder.where("l.campaign_id", campaignId);
  }
  const field = sort.replace("-", "") as "createdAt" | "updatedAt";
  const fieldSort = await applyFieldQuery<LeadRow>(db, builder, { entity: "leads", alias: "l" }, query);
  const order = fieldSort ?? timeSort<LeadRow>("l", field, sort.startsWith("-"));
  const page = await pageBy<LeadRow>(builder, "l.id", order, limit, cursor);
  return { items: page.rows.map(toLead), nextCursor: page.nextCursor };
}
