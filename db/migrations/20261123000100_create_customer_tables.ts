import type { Knex } from "knex";

const ts = (t: Knex.CreateTableBuilder, knex: Knex) => {
  t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
};

// Customers: companies, contacts with their phones and e-mails, and marketing sources.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("sources", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable().unique();
    /** utm_source value that maps to this source ("yandex", "google"). */
    t.text("utm_source").unique();
    t.boolean("is_active").notNullable().defaultTo(true);
    ts(t, knex);
  });

  await knex.schema.createTable("campaigns", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("source_id").notNullable().references("id").inTable("sources").onDelete("restrict");
    t.text("name").notNullable();
    t.text("utm_campaign");
    t.boolean("is_active").notNullable().defaultTo(true);
    ts(t, knex);
  });

  // A company number given to one source or campaign (static call-tracking) or lent from a pool (dynamic).
  await knex.schema.createTable("tracking_numbers", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("phone").notNullable().unique();
    t.text("kind").notNullable().defaultTo("static").checkIn(["static", "dynamic"]);
    t.uuid("source_id").references("id").inTable("sources").onDelete("set null");
    t.uuid("campaign_id").references("id").inTable("campaigns").onDelete("set null");
    t.text("description");
    ts(t, knex);
  });

  await knex.schema.createTable("companies", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable();
    t.text("inn");
    t.text("kpp");
    t.text("ogrn");
    /** 1C Ref_Key of the counterparty (Справочник.Контрагенты). */
    t.text("external_id").unique();
    t.text("phone");
    t.text("email");
    t.text("website");
    t.text("address");
    t.text("note");
    t.uuid("owner_id").notNullable().references("id").inTable("users").onDelete("restrict");
    t.uuid("source_id").references("id").inTable("sources").onDelete("set null");
    t.jsonb("fields").notNullable().defaultTo("{}");
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    ts(t, knex);
  });
  await knex.raw("create index companies_inn on companies (inn)");
  await knex.raw("create index companies_owner on companies (owner_id)");
  await knex.raw("create index companies_name_trgm on companies using gin (lower(name) gin_trgm_ops)");

  await knex.schema.createTable("contacts", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("last_name");
    t.text("first_name").notNullable();
    t.text("middle_name");
    t.text("position");
    t.date("birthday");
    t.text("note");
    t.uuid("owner_id").notNullable().references("id").inTable("users").onDelete("restrict");
    t.uuid("source_id").references("id").inTable("sources").onDelete("set null");
    t.jsonb("fields").notNullable().defaultTo("{}");
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    ts(t, knex);
  });
  // "Фамилия Имя Отчество", kept by the database so search, sort and display never disagree.
  await knex.raw(`alter table contacts add column full_name text generated always as (
    btrim(coalesce(last_name, '') || ' ' || first_name || ' ' || coalesce(middle_name, ''))) stored`);
  await knex.raw("create index contacts_name_trgm on contacts using gin (lower(full_name) gin_trgm_ops)");
  await knex.raw("create index contacts_owner_created on contacts (owner_id, created_at desc, id desc)");
  await knex.raw("create index contacts_created on contacts (created_at desc, id desc)");
  await knex.raw("create index contacts_name_sort on contacts (lower(full_name), id)");

  await knex.schema.createTable("contact_phones", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("contact_id").notNullable().references("id").inTable("contacts").onDelete("cascade");
    /** E.164; one number belongs to one contact, which is what makes caller identification exact. */
    t.text("phone").notNullable().unique();
    t.text("kind").notNullable().defaultTo("mobile");
    t.smallint("position").notNullable().defaultTo(0);
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create index contact_phones_contact on contact_phones (contact_id)");
  await knex.raw("create index contact_phones_trgm on contact_phones using gin (phone gin_trgm_ops)");

  await knex.schema.createTable("contact_emails", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("contact_id").notNullable().references("id").inTable("contacts").onDelete("cascade");
    t.text("email").notNullable();
    t.text("kind").notNullable().defaultTo("work");
    t.smallint("position").notNullable().defaultTo(0);
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create index contact_emails_contact on contact_emails (contact_id)");
  await knex.raw("create index contact_emails_email on contact_emails (email text_pattern_ops)");

  await knex.schema.createTable("contact_companies", (t) => {
    t.uuid("contact_id").notNullable().references("id").inTable("contacts").onDelete("cascade");
    t.uuid("company_id").notNullable().references("id").inTable("companies").onDelete("cascade");
    t.boolean("is_primary").notNullable().defaultTo(false);
    t.text("position");
    t.primary(["contact_id", "company_id"]);
  });
  await knex.raw("create index contact_companies_company on contact_companies (company_id)");
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    "contact_companies",
    "contact_emails",
    "contact_phones",
    "contacts",
    "companies",
    "tracking_numbers",
    "campaigns",
    "sources",
  ]) {
    await knex.schema.dropTable(table);
  }
}
