import type { Knex } from "knex";

const at = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true, precision: 3 });

// The agent desktop: availability states and their history, SIP secrets, call wrap-ups, and the index
// that answers "was this missed number called back?".
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("agent_states", (t) => {
    t.uuid("user_id").primary().references("id").inTable("users").onDelete("cascade");
    t.text("state").notNullable().checkIn(["available", "paused", "acw", "offline"]);
    t.text("reason").checkIn(["lunch", "break", "training", "other"]);
    t.text("note");
    at(t, "since").notNullable().defaultTo(knex.fn.now());
  });
  // One row per state entered, for metrics (time paused per reason, after-call work per call): a state
  // lasts until the next row of the same user.
  await knex.schema.createTable("agent_state_log", (t) => {
    t.bigIncrements("id");
    t.uuid("user_id").notNullable().references("id").inTable("users").onDelete("cascade");
    t.text("state").notNullable();
    t.text("reason");
    t.text("note");
    /** user = the agent, call = a call ended (acw), timeout = acw ran out, wrap-up, supervisor. */
    t.text("cause").notNullable();
    t.uuid("interaction_id").references("id").inTable("interactions").onDelete("set null");
    at(t, "at").notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create index agent_state_log_user on agent_state_log (user_id, at desc)");

  await knex.schema.alterTable("users", (t) => {
    /** SIP password for the softphone when the PBX does not take ephemeral credentials; never listed. */
    t.text("sip_secret");
  });

  await knex.schema.alterTable("interactions", (t) => {
    /** The agent's outcome of a call (wrap-up); `result` stays how the PBX ended it. */
    t.text("disposition");
    at(t, "wrapped_up_at");
    t.uuid("wrapped_up_by").references("id").inTable("users").onDelete("set null");
  });
  // The calls journal (newest first) and the agents' board (calls going on now, today's counts).
  await knex.raw(
    "create index interactions_calls on interactions (occurred_at desc, id desc) where channel = 'call'",
  );
  await knex.raw(
    "create index interactions_live_calls on interactions (occurred_at) where channel = 'call' and ended_at is null",
  );
  // Missed calls journal: a later outbound call to the same number is a call back.
  await knex.raw(
    `create index interactions_call_number on interactions ((payload->>'number'), occurred_at)
      where channel = 'call'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("drop index interactions_call_number");
  await knex.raw("drop index interactions_live_calls");
  await knex.raw("drop index interactions_calls");
  await knex.schema.alterTable("interactions", (t) => {
    for (const column of ["wrapped_up_by", "wrapped_up_at", "disposition"]) {
      t.dropColumn(column);
    }
  });
  await knex.schema.alterTable("users", (t) => t.dropColumn("sip_secret"));
  await knex.schema.dropTable("agent_state_log");
  await knex.schema.dropTable("agent_states");
}
