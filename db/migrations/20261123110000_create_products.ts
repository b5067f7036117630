import type { Knex } from "knex";

// Products (номенклатура): mostly imported from 1C or a price list, read by everyone, edited by admins.
// Not owner-scoped: a catalogue is the same for every manager.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("products", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable();
    /** Артикул; unique when present (partial index below). */
    t.text("sku");
    t.text("unit").notNullable().defaultTo("шт");
    /** Price per unit in kopecks. */
    t.bigInteger("price");
    /** VAT rate in percent; null = без НДС. */
    t.smallint("vat_rate");
    /** 1C Ref_Key of the item (Справочник.Номенклатура). */
    t.text("external_id").unique();
    t.boolean("is_active").notNullable().defaultTo(true);
    t.jsonb("fields").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("alter table products add constraint products_price check (price >= 0)");
  await knex.raw("alter table products add constraint products_vat_rate check (vat_rate in (0, 10, 20))");
  await knex.raw("create unique index products_sku on products (sku) where sku is not null");
  await knex.raw("create index products_name_sort on products (lower(name), id)");
  await knex.raw("create index products_created on products (created_at desc, id desc)");
  await knex.raw("create index products_name_trgm on products using gin (lower(name) gin_trgm_ops)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("products");
}
