import type { Knex } from "knex";

// Timestamps keep milliseconds (precision 3): what JavaScript dates hold, so keyset cursors compare exactly.

// Organisation: departments (a tree), roles with their permission matrix, users, sessions and API tokens.
export async function up(knex: Knex): Promise<void> {
  await knex.raw("create extension if not exists pg_trgm");

  await knex.schema.createTable("departments", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable();
    t.uuid("parent_id").references("id").inTable("departments").onDelete("restrict");
    // Materialised path of ids ("/<root>/<child>/"): subtree checks are one prefix comparison.
    t.text("path").notNullable().unique();
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create index departments_path_prefix on departments (path text_pattern_ops)");

  await knex.schema.createTable("roles", (t) => {
    t.text("code").primary();
    t.text("name").notNullable();
    /** Permissions from @okno/contracts: { scopes: {entity: scope}, canAdminister }. */
    t.jsonb("permissions").notNullable();
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable("users", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("login").notNullable();
    t.text("password_hash").notNullable();
    t.text("full_name").notNullable();
    t.text("email");
    t.text("phone");
    /** SIP extension of the user's softphone / desk phone; what the PBX reports as the agent. */
    t.text("extension").unique();
    t.uuid("department_id").notNullable().references("id").inTable("departments").onDelete("restrict");
    t.text("role_code").notNullable().references("code").inTable("roles").onDelete("restrict");
    t.boolean("is_active").notNullable().defaultTo(true);
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create unique index users_login_unique on users (lower(login))");
  await knex.raw("create index users_department on users (department_id)");

  // Browser sessions and long-lived API tokens share one table; only a SHA-256 of the token is stored.
  await knex.schema.createTable("sessions", (t) => {
    t.text("token_hash").primary();
    t.uuid("user_id").notNullable().references("id").inTable("users").onDelete("cascade");
    t.text("kind").notNullable().checkIn(["session", "api"]);
    t.text("name");
    t.text("ip");
    t.text("user_agent");
    t.timestamp("created_at", { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("expires_at", { useTz: true, precision: 3 });
    t.timestamp("last_used_at", { useTz: true, precision: 3 });
  });
  await knex.raw("create index sessions_user on sessions (user_id)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("sessions");
  await knex.schema.dropTable("users");
  await knex.schema.dropTable("roles");
  await knex.schema.dropTable("departments");
}
