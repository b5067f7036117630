import type { Knex } from "knex";

const at = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true, precision: 3 });

// CTI: applied call events (idempotency), call columns on interactions, dynamic call-tracking leases,
// PBX queues, company settings, and the "source to be confirmed" flag on contacts.
export async function up(knex: Knex): Promise<void> {
  // Ids of applied CallEvents: `insert … on conflict do nothing` tells a redelivery from a new event.
  // Pruned after a week (crm-api/src/cti/prune.ts); replaying an older event is harmless anyway because
  // the per-call merge is monotonic.
  await knex.schema.createTable("cti_events", (t) => {
    t.uuid("id").primary();
    t.text("call_id").notNullable();
    t.text("type").notNullable();
    at(t, "at").notNullable();
    at(t, "received_at").notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create index cti_events_received on cti_events (received_at)");

  await knex.schema.alterTable("interactions", (t) => {
    /** First answer of a call; wait = answered_at (or ended_at) − occurred_at, talk = duration_sec. */
    at(t, "answered_at");
    t.integer("wait_sec");
    /** Advertising source of the call (tracking number or lease), for reports by source. */
    t.uuid("source_id").references("id").inTable("sources").onDelete("set null");
    t.uuid("campaign_id").references("id").inTable("campaigns").onDelete("set null");
  });
  await knex.raw(
    "create index interactions_source on interactions (source_id, occurred_at desc) where source_id is not null",
  );

  // A visitor of the website holds a number of the dynamic pool: a call to it during the lease carries
  // the visit's UTM marks. Rows stay as history (visits → calls) and are pruned after 90 days.
  await knex.schema.createTable("tracking_leases", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("tracking_number_id")
      .notNullable()
      .references("id")
      .inTable("tracking_numbers")
      .onDelete("cascade");
    t.text("visitor_id").notNullable();
    for (const column of ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "keyword"]) {
      t.text(column);
    }
    t.text("landing_page");
    at(t, "leased_at").notNullable().defaultTo(knex.fn.now());
    at(t, "expires_at").notNullable();
  });
  await knex.raw(
    "create index tracking_leases_number on tracking_leases (tracking_number_id, expires_at desc)",
  );
  await knex.raw("create index tracking_leases_visitor on tracking_leases (visitor_id, expires_at desc)");
  await knex.raw("create index tracking_leases_expires on tracking_leases (expires_at)");

  await knex.schema.createTable("cti_queues", (t) => {
    /** The queue's name as the PBX reports it (Asterisk queue, Mango group). */
    t.text("name").primary();
    t.uuid("supervisor_id").references("id").inTable("users").onDelete("set null");
    at(t, "created_at").notNullable().defaultTo(knex.fn.now());
    at(t, "updated_at").notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable("cti_queue_members", (t) => {
    t.text("queue").notNullable().references("name").inTable("cti_queues").onDelete("cascade");
    t.uuid("user_id").notNullable().references("id").inTable("users").onDelete("cascade");
    t.primary(["queue", "user_id"]);
  });

  // Company-wide settings as key → JSON value ("cti.createLeadForUnknown": true); absent = default.
  await knex.schema.createTable("settings", (t) => {
    t.text("key").primary();
    t.jsonb("value").notNullable();
    at(t, "updated_at").notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.alterTable("contacts", (t) => {
    /** False for contacts created automatically from an unknown caller until someone confirms the source. */
    t.boolean("source_confirmed").notNullable().defaultTo(true);
  });

  // "Unless an open callback for that number exists": one probe per missed call.
  await knex.raw(
    "create index tasks_open_callbacks on tasks (phone) where type = 'callback' and status = 'open'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("drop index tasks_open_callbacks");
  await knex.schema.alterTable("contacts", (t) => t.dropColumn("source_confirmed"));
  for (const table of ["settings", "cti_queue_members", "cti_queues", "tracking_leases", "cti_events"]) {
    await knex.schema.dropTable(table);
  }
  await knex.raw("drop index interactions_source");
  await knex.schema.alterTable("interactions", (t) => {
    for (const column of ["campaign_id", "source_id", "wait_sec", "answered_at"]) {
      t.dropColumn(column);
    }
  });
}
