import type { FieldDefinition, FieldEntity, FieldOption, FieldType } from "@okno/contracts";
import type { Knex } from "knex";
import type { AuditActor } from "../audit/recordAudit.ts";
import { iso } from "../cursor.ts";

export interface FieldDefinitionRow {
  id: string;
  entity: FieldEntity;
  key: string;
  label: string;
  type: FieldType;
  options: FieldOption[];
  is_required: boolean;
  pipeline_id: string | null;
  section: string | null;
  sort: number;
  is_hidden: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toFieldDefinition(row: FieldDefinitionRow): FieldDefinition {
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options,
    isRequired: row.is_required,
    pipelineId: row.pipeline_id,
    section: row.section,
    sort: row.sort,
    isHidden: row.is_hidden,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** An entity's definitions in form order. */
export function listDefinitionRows(
  db: Knex | Knex.Transaction,
  entity: FieldEntity,
): Promise<FieldDefinitionRow[]> {
  return db("field_definitions").where("entity", entity).orderBy(["sort", "created_at", "id"]).select("*");
}

export function findDefinitionRow(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<FieldDefinitionRow | undefined> {
  return db("field_definitions").where("id", id).first();
}

/** Definition columns from the API's names; `options` is serialised for the jsonb column. */
export function toDefinitionColumns(input: {
  label?: string | undefined;
  options?: FieldOption[] | undefined;
  isRequired?: boolean | undefined;
  pipelineId?: string | null | undefined;
  section?: string | null | undefined;
  sort?: number | undefined;
  isHidden?: boolean | undefined;
}): Record<string, unknown> {
  const map: Record<string, unknown> = {
    label: input.label,
    options: input.options === undefined ? undefined : JSON.stringify(input.options),
    is_required: input.isRequired,
    pipeline_id: input.pipelineId,
    section: input.section,
    sort: input.sort,
    is_hidden: input.isHidden,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function insertDefinition(
  db: Knex.Transaction,
  columns: Record<string, unknown>,
): Promise<FieldDefinitionRow> {
  const [row] = await db("field_definitions").insert(columns).returning<FieldDefinitionRow[]>("*");
  return row!;
}

export async function updateDefinition(
  db: Knex.Transaction,
  id: string,
  columns: Record<string, unknown>,
): Promise<FieldDefinitionRow> {
  const [row] = await db("field_definitions")
    .where("id", id)
    .update({ ...columns, updated_at: db.fn.now() })
    .returning<FieldDefinitionRow[]>("*");
  return row!;
}

export async function deleteDefinition(db: Knex.Transaction, id: string): Promise<void> {
  await db("field_definitions").where("id", id).delete();
}

/** Where a new field goes by default: after the entity's last one. */
export async function nextSort(db: Knex.Transaction, entity: FieldEntity): Promise<number> {
  const row = await db("field_definitions")
    .where("entity", entity)
    .first<{ max: number | null }>(db.raw("max(sort) as max"));
  return (row?.max ?? 0) + 10;
}

/** SQL over the stored value `t.fields -> key`: does it hold any of `:removed` (enum or multi-enum)? */
const HOLDS_REMOVED = {
  single: "t.fields ->> :key::text = any(:removed::text[])",
  multi: `jsonb_typeof(t.fields -> :key::text) = 'array'
          and exists (select 1 from jsonb_array_elements_text(t.fields -> :key::text) e where e = any(:removed::text[]))`,
};

/** How many records of the entity hold each of these option values (values nobody uses are left out). */
export async function countOptionUse(
  db: Knex | Knex.Transaction,
  entity: FieldEntity,
  key: string,
  removed: string[],
  isMulti: boolean,
): Promise<{ value: string; n: number }[]> {
  // A multi-enum's choices are the array's elements; anything else stored there is one (non-)choice.
  const values = isMulti
    ? `jsonb_array_elements_text(case when jsonb_typeof(t.fields -> :key::text) = 'array'
                                      then t.fields -> :key::text else '[]'::jsonb end)`
    : "(select t.fields ->> :key::text)";
  const res = await db.raw<{ rows: { value: string; n: number }[] }>(
    `select v as value, count(*)::int as n from :table: t cross join lateral ${values} v
      where v = any(:removed::text[]) group by v order by v`,
    { table: entity, key, removed },
  );
  return res.rows;
}

/** What to do to the stored values of one field in every record of an entity. */
export type ValueRewrite =
  { kind: "remove" } | { kind: "removeOptions"; removed: string[]; isMulti: boolean };

/**
 * Rewrites one field's values in every record that has it, and writes one audit row per changed record
 * (`changes.fields = { before: { key: old }, after: { key: new } | {} }`), all in one statement: an
 * INSERT … SELECT over data-modifying CTEs, so 11,000 records cost one round trip, not 11,000. Call it in
 * the transaction of the definition change. `updated_at` is left alone: the record's own data did not
 * change, and lists ordered by it should not reshuffle. Returns the number of records changed.
 */
export async function rewriteFieldValues(
  db: Knex.Transaction,
  actor: AuditActor,
  entity: FieldEntity,
  key: string,
  rewrite: ValueRewrite,
  meta: Record<string, unknown>,
): Promise<number> {
  const where =
    rewrite.kind === "remove"
      ? "jsonb_exists(t.fields, :key::text)"
      : rewrite.isMulti
        ? HOLDS_REMOVED.multi
        : HOLDS_REMOVED.single;
  // The value after the change; null removes the key.
  const next =
    rewrite.kind === "remove" || !rewrite.isMulti
      ? "null::jsonb"
      : "(select jsonb_agg(e) from jsonb_array_elements(old_value) e where not (e #>> '{}' = any(:removed::text[])))";
  const res = await db.raw<{ rows: unknown[] }>(
    `with prev as (
       select t.id, t.fields -> :key::text as old_value from :table: t where ${where} for update
     ), nxt as (
       select id, old_value, ${next} as new_value from prev
     ), upd as (
       update :table: t
          set fields = case when nxt.new_value is null then t.fields - :key::text
                            else jsonb_set(t.fields, array[:key::text], nxt.new_value) end
         from nxt where t.id = nxt.id
     )
     insert into audit_log (user_id, via, ip, entity, record_id, action, changes, meta)
     select :userId::uuid, :via::text, :ip::text, :entity::text, nxt.id::text, 'update',
            jsonb_build_object('fields', jsonb_build_object(
              'before', jsonb_build_object(:key::text, nxt.old_value),
              'after', case when nxt.new_value is null then '{}'::jsonb
                            else jsonb_build_object(:key::text, nxt.new_value) end)),
            :meta::jsonb
       from nxt
     returning id`,
    {
      table: entity,
      entity,
      key,
      removed: rewrite.kind === "removeOptions" ? rewrite.removed : [],
      userId: actor.userId,
      via: actor.via,
      ip: actor.ip,
      meta: JSON.stringify(meta),
    },
  );
  return res.rows.length;
}
