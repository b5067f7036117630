import type { Knex } from "knex";

const at = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true, precision: 3 });
const stamps = (t: Knex.CreateTableBuilder, knex: Knex) => {
  at(t, "created_at").notNullable().defaultTo(knex.fn.now());
  at(t, "updated_at").notNullable().defaultTo(knex.fn.now());
};

/** Markdown reduced to words for the index and snippets; ё folded to е as queries are (scripts-kb/kbQuery.ts). */
const KB_PLAIN_BODY = "translate(regexp_replace(body_md, '[#*_`~|\\[\\]]+', ' ', 'g'), 'Ёё', 'Ее')";

// Call scripts (a draft graph, immutable published versions, assignment by queue, line, campaign or stage,
// and the runs recorded on interactions) and the knowledge base with Russian full-text search.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("call_scripts", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable();
    t.text("description");
    /** The graph being edited (scripts-kb ScriptGraph); may be invalid until published. */
    t.jsonb("draft").notNullable();
    t.boolean("is_archived").notNullable().defaultTo(false);
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    stamps(t, knex);
  });

  // A published graph never changes: calls that started on version 3 finish on version 3.
  await knex.schema.createTable("call_script_versions", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("script_id").notNullable().references("id").inTable("call_scripts").onDelete("cascade");
    t.integer("version").notNullable();
    t.jsonb("graph").notNullable();
    t.uuid("published_by").references("id").inTable("users").onDelete("set null");
    at(t, "published_at").notNullable().defaultTo(knex.fn.now());
    t.unique(["script_id", "version"]);
  });

  await knex.schema.createTable("script_assignments", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("script_id").notNullable().references("id").inTable("call_scripts").onDelete("cascade");
    /** line: the dialled number (E.164); queue: the PBX queue name; campaign, stage: their ids. */
    t.text("kind").notNullable().checkIn(["queue", "line", "campaign", "stage"]);
    t.text("value").notNullable();
    /** Higher wins; between equal priorities the more specific kind wins (line, campaign, stage, queue). */
    t.integer("priority").notNullable().defaultTo(0);
    at(t, "created_at").notNullable().defaultTo(knex.fn.now());
    t.unique(["kind", "value", "script_id"]);
  });

  await knex.schema.createTable("interaction_script_runs", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("interaction_id").notNullable().references("id").inTable("interactions").onDelete("cascade");
    t.uuid("version_id").notNullable().references("id").inTable("call_script_versions").onDelete("restrict");
    t.text("status").notNullable().checkIn(["waiting", "ended"]);
    t.text("outcome");
    t.jsonb("path").notNullable();
    t.jsonb("answers").notNullable();
    /** The values written to the records: [{entity, recordId, field, value}]. */
    t.jsonb("captures").notNullable();
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    at(t, "created_at").notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "create index interaction_script_runs_interaction on interaction_script_runs (interaction_id)",
  );

  await createKb(knex);
}

async function createKb(knex: Knex): Promise<void> {
  await knex.schema.createTable("kb_categories", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable().unique();
    t.integer("sort").notNullable().defaultTo(0);
    stamps(t, knex);
  });
  await knex.schema.createTable("kb_articles", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("title").notNullable();
    t.text("body_md").notNullable();
    t.uuid("category_id").references("id").inTable("kb_categories").onDelete("set null");
    /** Roles that may read it; empty = everyone. Administrators and supervisors read everything. */
    t.specificType("roles", "text[]").notNullable().defaultTo("{}");
    t.boolean("is_published").notNullable().defaultTo(true);
    t.uuid("created_by").references("id").inTable("users").onDelete("set null");
    t.uuid("updated_by").references("id").inTable("users").onDelete("set null");
    stamps(t, knex);
  });
  // Title words weigh A, body words B, so a title match outranks a body match.
  await knex.raw(`alter table kb_articles add column tsv tsvector generated always as (
    setweight(to_tsvector('russian', translate(title, 'Ёё', 'Ее')), 'A') ||
    setweight(to_tsvector('russian', ${KB_PLAIN_BODY}), 'B')) stored`);
  await knex.raw("create index kb_articles_tsv on kb_articles using gin (tsv)");
  await knex.raw("create index kb_articles_category on kb_articles (category_id, title)");

  // Every lexeme of the articles with the number of articles holding it: typos and variants the stemmer
  // misses (звонок → звонк) are found by trigram similarity here, then searched through the tsvector.
  // A trigger keeps it, so seeds, imports and the API cannot forget to.
  await knex.schema.createTable("kb_lexemes", (t) => {
    t.text("lexeme").primary();
    t.integer("ndoc").notNullable();
  });
  await knex.raw("create index kb_lexemes_trgm on kb_lexemes using gin (lexeme gin_trgm_ops)");
  await knex.raw(`create function kb_count_lexemes() returns trigger language plpgsql as $$
    begin
      -- Sorted upserts take row locks in one order, so concurrent article writes cannot deadlock.
      if tg_op in ('UPDATE', 'DELETE') then
        insert into kb_lexemes (lexeme, ndoc)
          select lexeme, 0 from unnest(old.tsv) order by lexeme
          on conflict (lexeme) do update set ndoc = kb_lexemes.ndoc - 1;
        delete from kb_lexemes where ndoc <= 0 and lexeme in (select lexeme from unnest(old.tsv));
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into kb_lexemes (lexeme, ndoc)
          select lexeme, 1 from unnest(new.tsv) order by lexeme
          on conflict (lexeme) do update set ndoc = kb_lexemes.ndoc + 1;
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger kb_articles_lexemes after insert or update of title, body_md or delete
    on kb_articles for each row execute function kb_count_lexemes()`);

  // Files are the uploaded-files store (crm-api/src/files); an article lists them in order.
  await knex.schema.createTable("kb_attachments", (t) => {
    t.uuid("article_id").notNullable().references("id").inTable("kb_articles").onDelete("cascade");
    t.uuid("file_id").notNullable().references("id").inTable("files").onDelete("cascade");
    t.smallint("position").notNullable().defaultTo(0);
    t.primary(["article_id", "file_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("kb_attachments");
  await knex.raw("drop trigger kb_articles_lexemes on kb_articles");
  await knex.raw("drop function kb_count_lexemes()");
  for (const table of [
    "kb_lexemes",
    "kb_articles",
    "kb_categories",
    "interaction_script_runs",
    "script_assignments",
    "call_script_versions",
    "call_scripts",
  ]) {
    await knex.schema.dropTable(table);
  }
}
