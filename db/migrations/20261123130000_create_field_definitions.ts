import type { Knex } from "knex";

const FIELD_TABLES = ["contacts", "companies", "leads", "deals"];

// Custom fields: definitions managed by admins, values in each record's `fields` jsonb (created with the
// tables), and the small store of uploaded files that `file` fields point at.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("field_definitions", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("entity").notNullable().checkIn(FIELD_TABLES);
    /** The key in `fields`: a stable slug, never renamed (records and saved filters depend on it). */
    t.text("key").notNullable();
    t.text("label").notNullable();
    t.text("type")
      .notNullable()
      .checkIn([
        "string",
        "text",
        "number",
        "money",
        "date",
        "datetime",
        "boolean",
        "enum",
        "multi-enum",
        "user",
        "phone",
        "email",
        "url",
        "file",
      ]);
    /** Choices of enum and multi-enum fields: [{ value, label }]. */
    t.jsonb("options").notNullable().defaultTo("[]");
    t.boolean("is_required").notNullable().defaultTo(false);
    /** Null: every pipeline. Only deals have pipelines. */
    t.uuid("pipeline_id").references("id").inTable("pipelines").onDelete("cascade");
    t.text("section");
    t.integer("sort").notNullable().defaultTo(0);
    t.boolean("is_hidden").notNullable().defaultTo(false);
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.unique(["entity", "key"]);
  });

  // jsonb_path_ops: smaller and faster than the default opclass, and `@>` (the equality filters) is all we ask.
  for (const table of FIELD_TABLES) {
    await knex.raw(`create index ${table}_fields on ${table} using gin (fields jsonb_path_ops)`);
  }

  await knex.schema.createTable("files", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable();
    t.text("content_type").notNullable();
    t.bigInteger("size").notNullable();
    t.text("sha256").notNullable();
    /** Where the bytes are in the file store (a path under DATA_DIR/files, or an object key). */
    t.text("storage_key").notNullable().unique();
    t.uuid("uploaded_by").references("id").inTable("users").onDelete("set null");
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("files");
  for (const table of FIELD_TABLES) {
    await knex.raw(`drop index ${table}_fields`);
  }
  await knex.schema.dropTable("field_definitions");
}
