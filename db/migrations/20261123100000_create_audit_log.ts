import type { Knex } from "knex";

// Who changed what, when and from where. Rows are only ever inserted: the API offers no update or delete,
// and the table is append-only by convention (a production DBA may also REVOKE UPDATE, DELETE on it).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("audit_log", (t) => {
    t.bigIncrements("id").primary();
    t.timestamp("at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.uuid("user_id").references("id").inTable("users").onDelete("set null");
    /** ui (browser session), api (token), import, cti, system (robots, jobs). */
    t.text("via").notNullable();
    t.text("ip");
    t.text("entity").notNullable();
    t.uuid("record_id").notNullable();
    t.text("action").notNullable().checkIn(["create", "update", "delete", "merge", "view"]);
    /** Field-level changes: { field: { before, after } }. */
    t.jsonb("changes").notNullable().defaultTo("{}");
    /** Extra facts: merged record ids, import file and row, the listened recording. */
    t.jsonb("meta").notNullable().defaultTo("{}");
  });
  await knex.raw("create index audit_log_record on audit_log (entity, record_id, at desc, id desc)");
  await knex.raw("create index audit_log_user on audit_log (user_id, at desc)");
  await knex.raw("create index audit_log_at on audit_log (at desc, id desc)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("audit_log");
}
