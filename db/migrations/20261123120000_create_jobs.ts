import type { Knex } from "knex";

// The durable job queue (crm-api/src/jobs/): timers and robots that survive restarts and several instances.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("jobs", (t) => {
    t.bigIncrements("id").primary();
    /** Handler name ("duplicates.scan"); an instance claims only kinds it has a handler for. */
    t.text("kind").notNullable();
    t.jsonb("payload").notNullable().defaultTo("{}");
    t.timestamp("run_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    /** Claims so far, counted when a worker takes the job (a crashed run counts too). */
    t.integer("attempts").notNullable().defaultTo(0);
    t.integer("max_attempts").notNullable().defaultTo(5);
    /** Set while a worker runs the job; a lock older than the timeout belongs to a crashed instance. */
    t.timestamp("locked_at", { useTz: true, precision: 3 });
    t.text("locked_by");
    t.text("last_error");
    t.timestamp("done_at", { useTz: true, precision: 3 });
    /**
     * At most one job per key, ever: a recurring job's key names its slot ("duplicates.scan@<run time>"),
     * so every instance that schedules the same run inserts the same row once.
     */
    t.text("dedupe_key").unique();
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  // The claim query scans only unfinished jobs in due order.
  await knex.raw("create index jobs_due on jobs (run_at, id) where done_at is null");
  await knex.raw("create index jobs_done on jobs (done_at) where done_at is not null");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("jobs");
}
