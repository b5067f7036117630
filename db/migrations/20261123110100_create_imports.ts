import type { Knex } from "knex";

// One row per import run (dry or real): its progress while it runs and its report afterwards.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("imports", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("entity").notNullable().checkIn(["contacts", "companies", "products"]);
    t.text("file_name").notNullable();
    t.boolean("dry_run").notNullable();
    t.text("on_duplicate").notNullable().checkIn(["skip", "update"]);
    t.text("status").notNullable().defaultTo("queued").checkIn(["queued", "running", "done", "failed"]);
    t.integer("total").notNullable().defaultTo(0);
    t.integer("processed").notNullable().defaultTo(0);
    t.integer("created").notNullable().defaultTo(0);
    t.integer("updated").notNullable().defaultTo(0);
    t.integer("skipped").notNullable().defaultTo(0);
    t.integer("errors").notNullable().defaultTo(0);
    /** { columns: [{header, field}], items: [row-level outcomes, capped], itemsTruncated }. */
    t.jsonb("report").notNullable().defaultTo("{}");
    t.text("failure");
    t.uuid("user_id").notNullable().references("id").inTable("users").onDelete("cascade");
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    /** Touched after every batch: a running import that stops touching it has died with its process. */
    t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("finished_at", { useTz: true, precision: 3 });
  });
  await knex.raw("create index imports_user_created on imports (user_id, created_at desc)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("imports");
}
