import type { Knex } from "knex";

const ts = (t: Knex.CreateTableBuilder, knex: Knex) => {
  t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
};

// Sales and work: pipelines (направления) with stages, leads, deals, tasks and the interactions timeline.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("pipelines", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable().unique();
    t.integer("sort").notNullable().defaultTo(0);
    t.boolean("is_default").notNullable().defaultTo(false);
    ts(t, knex);
  });

  await knex.schema.createTable("stages", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("pipeline_id").notNullable().references("id").inTable("pipelines").onDelete("cascade");
    t.text("name").notNullable();
    t.integer("sort").notNullable();
    /** Semantics: a deal in a won or lost stage is closed. */
    t.text("kind").notNullable().defaultTo("open").checkIn(["open", "won", "lost"]);
    t.text("color");
    /** How long a deal may stay in the stage before it counts as late (supervisor control). */
    t.integer("deadline_hours");
    ts(t, knex);
    t.unique(["pipeline_id", "sort"]);
  });

  await knex.schema.createTable("leads", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("title").notNullable();
    t.text("status").notNullable().defaultTo("new").checkIn(["new", "in_progress", "converted", "junk"]);
    // What the lead says about the person before a contact exists.
    t.text("contact_name");
    t.text("company_name");
    t.text("company_inn");
    t.text("phone");
    t.text("email");
    t.bigInteger("amount");
    t.text("note");
    t.uuid("contact_id").references("id").inTable("contacts").onDelete("set null");
    t.uuid("company_id").references("id").inTable("companies").onDelete("set null");
    t.uuid("source_id").references("id").inTable("sources").onDelete("set null");
    t.uuid("campaign_id").references("id").inTable("campaigns").onDelete("set null");
    for (const utm of ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"]) {
      t.text(utm);
    }
    t.uuid("owner_id").notNullable().references("id").inTable("users").onDelete("restrict");
    t.uuid("deal_id");
    t.timestamp("converted_at", { useTz: true, precision: 3 });
    t.jsonb("fields").notNullable().defaultTo("{}");
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    ts(t, knex);
  });
  await knex.raw("create index leads_owner_created on leads (owner_id, created_at desc, id desc)");
  await knex.raw("create index leads_created on leads (created_at desc, id desc)");
  await knex.raw("create index leads_contact on leads (contact_id)");

  await knex.schema.createTable("deals", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("title").notNullable();
    t.uuid("pipeline_id").notNullable().references("id").inTable("pipelines").onDelete("restrict");
    t.uuid("stage_id").notNullable().references("id").inTable("stages").onDelete("restrict");
    /** Kopecks. */
    t.bigInteger("amount").notNullable().defaultTo(0);
    t.text("currency").notNullable().defaultTo("RUB");
    t.uuid("company_id").references("id").inTable("companies").onDelete("set null");
    t.uuid("contact_id").references("id").inTable("contacts").onDelete("set null");
    t.uuid("lead_id").references("id").inTable("leads").onDelete("set null");
    t.uuid("source_id").references("id").inTable("sources").onDelete("set null");
    t.uuid("owner_id").notNullable().references("id").inTable("users").onDelete("restrict");
    t.date("expected_close_date");
    t.timestamp("stage_changed_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("closed_at", { useTz: true, precision: 3 });
    t.text("note");
    t.jsonb("fields").notNullable().defaultTo("{}");
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    ts(t, knex);
  });
  await knex.raw("alter table leads add foreign key (deal_id) references deals(id) on delete set null");
  await knex.raw("create index deals_owner_created on deals (owner_id, created_at desc, id desc)");
  await knex.raw("create index deals_created on deals (created_at desc, id desc)");
  await knex.raw("create index deals_stage on deals (stage_id)");
  await knex.raw("create index deals_contact on deals (contact_id)");
  await knex.raw("create index deals_company on deals (company_id)");

  await knex.schema.createTable("tasks", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("type").notNullable().defaultTo("task").checkIn(["task", "call", "callback", "meeting"]);
    t.text("title").notNullable();
    t.text("description");
    t.text("status").notNullable().defaultTo("open").checkIn(["open", "done", "cancelled"]);
    t.timestamp("due_at", { useTz: true, precision: 3 });
    t.timestamp("remind_at", { useTz: true, precision: 3 });
    t.timestamp("completed_at", { useTz: true, precision: 3 });
    /** Number to call back (E.164), for call and callback tasks. */
    t.text("phone");
    t.uuid("owner_id").notNullable().references("id").inTable("users").onDelete("restrict");
    t.uuid("contact_id").references("id").inTable("contacts").onDelete("cascade");
    t.uuid("company_id").references("id").inTable("companies").onDelete("cascade");
    t.uuid("deal_id").references("id").inTable("deals").onDelete("cascade");
    t.uuid("lead_id").references("id").inTable("leads").onDelete("cascade");
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    ts(t, knex);
  });
  await knex.raw("create index tasks_owner_due on tasks (owner_id, status, due_at)");
  await knex.raw("create index tasks_remind on tasks (remind_at) where status = 'open'");
  await knex.raw("create index tasks_contact on tasks (contact_id)");
  await knex.raw("create index tasks_deal on tasks (deal_id)");

  // One timeline for every channel. A call is upserted by its PBX call id, so CTI events are idempotent.
  await knex.schema.createTable("interactions", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("channel")
      .notNullable()
      .checkIn(["call", "email", "sms", "chat", "messenger", "note", "meeting", "document"]);
    t.text("direction").checkIn(["in", "out", "internal"]);
    t.timestamp("occurred_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("ended_at", { useTz: true, precision: 3 });
    t.integer("duration_sec");
    t.text("result");
    t.text("subject");
    t.text("body");
    t.jsonb("payload").notNullable().defaultTo("{}");
    t.text("call_id").unique();
    t.uuid("contact_id").references("id").inTable("contacts").onDelete("cascade");
    t.uuid("company_id").references("id").inTable("companies").onDelete("cascade");
    t.uuid("deal_id").references("id").inTable("deals").onDelete("set null");
    t.uuid("lead_id").references("id").inTable("leads").onDelete("set null");
    t.uuid("owner_id").notNullable().references("id").inTable("users").onDelete("restrict");
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    ts(t, knex);
  });
  await knex.raw("create index interactions_contact on interactions (contact_id, occurred_at desc, id desc)");
  await knex.raw("create index interactions_company on interactions (company_id, occurred_at desc, id desc)");
  await knex.raw("create index interactions_deal on interactions (deal_id, occurred_at desc, id desc)");
  await knex.raw("create index interactions_owner on interactions (owner_id, occurred_at desc, id desc)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("interactions");
  await knex.schema.dropTable("tasks");
  await knex.raw("alter table leads drop column deal_id");
  await knex.schema.dropTable("deals");
  await knex.schema.dropTable("leads");
  await knex.schema.dropTable("stages");
  await knex.schema.dropTable("pipelines");
}
