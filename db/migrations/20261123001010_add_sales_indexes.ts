import type { Knex } from "knex";

// Indexes for the company, lead and deal lists and for lead conversion's lookups.
export async function up(knex: Knex): Promise<void> {
  // Company list sorted by name or date (keyset pagination on (key, id)); conversion matches lower(name).
  await knex.raw("create index companies_name_sort on companies (lower(name), id)");
  await knex.raw("create index companies_created on companies (created_at desc, id desc)");

  await knex.raw("create index leads_status_created on leads (status, created_at desc, id desc)");
  // Lead search runs over one expression; the query must repeat it exactly for the index to apply.
  await knex.raw(`create index leads_search_trgm on leads using gin
    (lower(title || ' ' || coalesce(contact_name, '') || ' ' || coalesce(company_name, '')) gin_trgm_ops)`);
  await knex.raw("create index leads_phone_trgm on leads using gin (phone gin_trgm_ops)");

  await knex.raw("create index deals_pipeline_created on deals (pipeline_id, created_at desc, id desc)");

  // At most one default pipeline: deals created without a pipeline land there.
  await knex.raw("create unique index pipelines_one_default on pipelines (is_default) where is_default");
}

export async function down(knex: Knex): Promise<void> {
  for (const index of [
    "pipelines_one_default",
    "deals_pipeline_created",
    "leads_phone_trgm",
    "leads_search_trgm",
    "leads_status_created",
    "companies_created",
    "companies_name_sort",
  ]) {
    await knex.raw(`drop index ${index}`);
  }
}
