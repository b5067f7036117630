import type { Knex } from "knex";

// Roles are keyed by their code ("manager"), not a uuid, and their permission changes belong in the audit
// log like any other admin change: the record id becomes text. Every uuid id keeps its text form.
export async function up(knex: Knex): Promise<void> {
  await knex.raw("alter table audit_log alter column record_id type text using record_id::text");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("delete from audit_log where entity = 'roles'");
  await knex.raw("alter table audit_log alter column record_id type uuid using record_id::uuid");
}
