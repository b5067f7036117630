import type { Knex } from "knex";

// Words of a name in a canonical form: lower case, ё as е, punctuation dropped, words sorted, so
// "Иванов Иван" and "иван ИВАНОВ" give one key. The company key also drops legal forms (ООО, АО, ИП…):
// «ООО "Ромашка"» and "Ромашка, ООО" are one company name. Immutable, so they can be indexed.
const PERSON_KEY = `
  create function okno_person_key(name text) returns text language sql immutable parallel safe as $$
    select coalesce(string_agg(w, ' ' order by w), '')
    from unnest(regexp_split_to_array(translate(lower(name), 'ё', 'е'), '[^0-9a-zа-я]+')) as w
    where w <> ''
  $$`;

const COMPANY_KEY = `
  create function okno_company_key(name text) returns text language sql immutable parallel safe as $$
    select coalesce(string_agg(w, ' ' order by w), '')
    from unnest(regexp_split_to_array(
      regexp_replace(
        regexp_replace(translate(lower(name), 'ё', 'е'), '[^0-9a-zа-я]+', ' ', 'g'),
        '(^| )(общество с ограниченной ответственностью|((публичное|непубличное|закрытое|открытое) )?акционерное общество|индивидуальный предприниматель)( |$)',
        ' ', 'g'),
      ' ')) as w
    where w <> '' and w not in
      ('ооо', 'оао', 'зао', 'пао', 'ао', 'нао', 'ип', 'чп', 'ано', 'нко', 'гуп', 'муп', 'фгуп',
       'ooo', 'llc', 'ltd', 'inc')
  $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(PERSON_KEY);
  await knex.raw(COMPANY_KEY);

  // Candidate pairs found by the nightly scan. A pair points at two contacts or two companies through real
  // foreign keys, so a deleted or merged record takes its pairs with it; `a_id`/`b_id` give every query
  // one shape whatever the entity. A dismissed pair is kept: it is how later scans know to hide it.
  await knex.schema.createTable("duplicate_pairs", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("entity").notNullable().checkIn(["contacts", "companies"]);
    t.uuid("contact_a_id").references("id").inTable("contacts").onDelete("cascade");
    t.uuid("contact_b_id").references("id").inTable("contacts").onDelete("cascade");
    t.uuid("company_a_id").references("id").inTable("companies").onDelete("cascade");
    t.uuid("company_b_id").references("id").inTable("companies").onDelete("cascade");
    /** 0..1: how sure the scan is that the two records are one person or organisation. */
    t.decimal("score", 4, 3).notNullable();
    /** Why: phone, email, inn, name. */
    t.specificType("reasons", "text[]").notNullable();
    t.timestamp("dismissed_at", { useTz: true, precision: 3 });
    t.uuid("dismissed_by").references("id").inTable("users").onDelete("set null");
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    /**
     * The last scan (its transaction's now()) that found the pair; a scan removes the undismissed pairs it no
     * longer finds. Full precision: the scan compares it with now() exactly.
     */
    t.timestamp("seen_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table duplicate_pairs
    add column a_id uuid generated always as (coalesce(contact_a_id, company_a_id)) stored,
    add column b_id uuid generated always as (coalesce(contact_b_id, company_b_id)) stored,
    add constraint duplicate_pairs_shape check (
      (entity = 'contacts' and contact_a_id is not null and contact_b_id is not null
        and company_a_id is null and company_b_id is null)
      or (entity = 'companies' and company_a_id is not null and company_b_id is not null
        and contact_a_id is null and contact_b_id is null)),
    add constraint duplicate_pairs_ordered check (
      coalesce(contact_a_id, company_a_id) < coalesce(contact_b_id, company_b_id))`);
  await knex.raw("create unique index duplicate_pairs_unique on duplicate_pairs (entity, a_id, b_id)");
  await knex.raw(`create index duplicate_pairs_list on duplicate_pairs (entity, score desc, id desc)
    where dismissed_at is null`);
  for (const column of ["contact_a_id", "contact_b_id", "company_a_id", "company_b_id"]) {
    await knex.raw(`create index duplicate_pairs_${column} on duplicate_pairs (${column})`);
  }

  // Exact probes of the duplicate check and the scan's joins.
  await knex.raw("create index contact_emails_lower on contact_emails (lower(email))");
  await knex.raw("create index companies_name_key on companies (okno_company_key(name))");
  await knex.raw("create index companies_phone on companies (phone) where phone is not null");
  await knex.raw("create index companies_email_lower on companies (lower(email)) where email is not null");
  await knex.raw("create index leads_phone on leads (phone) where phone is not null");
}

export async function down(knex: Knex): Promise<void> {
  for (const index of [
    "leads_phone",
    "companies_email_lower",
    "companies_phone",
    "companies_name_key",
    "contact_emails_lower",
  ]) {
    await knex.raw(`drop index ${index}`);
  }
  await knex.schema.dropTable("duplicate_pairs");
  await knex.raw("drop function okno_company_key(text)");
  await knex.raw("drop function okno_person_key(text)");
}
