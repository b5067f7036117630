import {
  FIELD_FILTER_PARAM,
  normalizeFieldValue,
  type FieldDefinition,
  type FieldEntity,
  type FieldType,
} from "@okno/contracts";
import type { Knex } from "knex";
import { badRequest } from "../errors.ts";
import type { SortKey } from "../listing.ts";
import { loadDefinitions } from "./cache.ts";

const RANGE_TYPES: readonly FieldType[] = ["number", "money", "date", "datetime"];
const UNSORTABLE: readonly FieldType[] = ["multi-enum", "file"];
const SAFE_KEY = /^[a-z][a-z0-9_]*$/;

const invalid = (param: string, reason: string) =>
  badRequest(`${param}: ${reason}`, { [`querystring.${param}`]: reason });

/** A query parameter's text as the field's value: numbers and booleans arrive as text in a URL. */
function parseQueryValue(
  def: FieldDefinition,
  text: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  let raw: unknown = text;
  if ((def.type === "number" || def.type === "money") && /^-?\d+(\.\d+)?$/.test(text.trim())) {
    raw = Number(text);
  } else if (def.type === "boolean" && (text === "true" || text === "false")) {
    raw = text === "true";
  } else if (def.type === "multi-enum") {
    // Filtering a multi-enum by one choice means "has this choice among others".
    raw = [text];
  }
  const result = normalizeFieldValue(def, raw);
  if (result.ok && result.value === undefined) {
    return { ok: false, reason: "a value is required" };
  }
  return result;
}

/** The stored value as SQL that orders and compares correctly for the type; never null (keyset needs that). */
function sortExpression(alias: string, def: FieldDefinition): string {
  const value = `${alias}.fields ->> '${def.key}'`;
  if (def.type === "number" || def.type === "money") {
    // Records without a value sort first ascending, as -Infinity; a non-number never reaches the cast.
    return `coalesce(case when jsonb_typeof(${alias}.fields -> '${def.key}') = 'number' then (${value})::numeric end, '-Infinity'::numeric)`;
  }
  if (def.type === "date" || def.type === "datetime") {
    // Stored as fixed-width ISO text (datetimes in UTC): byte order is time order.
    return `(coalesce(${value}, '') collate "C")`;
  }
  return `lower(coalesce(${value}, ''))`;
}

function applyFilter(
  builder: Knex.QueryBuilder,
  alias: string,
  def: FieldDefinition,
  param: string,
  op: string | undefined,
  text: string,
): void {
  if (def.type === "file") {
    throw invalid(param, "file fields cannot be filtered");
  }
  if (op && !RANGE_TYPES.includes(def.type)) {
    throw invalid(param, "ranges apply to number, money, date and datetime fields");
  }
  const parsed = parseQueryValue(def, text);
  if (!parsed.ok) {
    throw invalid(param, parsed.reason);
  }
  const cmp = op === "gte" ? ">=" : "<=";
  if (!op) {
    // Containment: served by the GIN (jsonb_path_ops) index on `fields`.
    builder.whereRaw(`${alias}.fields @> ?::jsonb`, [JSON.stringify({ [def.key]: parsed.value })]);
  } else if (def.type === "number" || def.type === "money") {
    builder.whereRaw(
      `(case when jsonb_typeof(${alias}.fields -> ?) = 'number' then (${alias}.fields ->> ?)::numeric end) ${cmp} ?`,
      [def.key, def.key, parsed.value as number],
    );
  } else {
    builder.whereRaw(`(${alias}.fields ->> ?) collate "C" ${cmp} ?`, [def.key, parsed.value as string]);
  }
}

function fieldSort<Row>(alias: string, def: FieldDefinition, desc: boolean): SortKey<Row> {
  const expr = sortExpression(alias, def);
  return { expr, desc, value: (row) => (row as { field_sort: string | number }).field_sort };
}

/**
 * Applies a list query's custom field parameters: `f.<key>=v` (equality; for multi-enum, "has v"),
 * `f.<key>.gte` / `.lte` (number, money, date, datetime), and `sort=[-]f.<key>`. Returns the sort key to
 * page by when the list is sorted by a custom field, else null. Unknown fields and bad values are a 400
 * naming `querystring.<parameter>`.
 */
export async function applyFieldQuery<Row extends { id: string }>(
  db: Knex,
  builder: Knex.QueryBuilder,
  target: { entity: FieldEntity; alias: string },
  query: Readonly<Record<string, unknown>> & { sort: string },
): Promise<SortKey<Row> | null> {
  const isFieldSort = /^-?f\./.test(query.sort);
  const params = Object.keys(query).filter((p) => FIELD_FILTER_PARAM.test(p));
  if (params.length === 0 && !isFieldSort) {
    return null;
  }
  const definitions = new Map((await loadDefinitions(db, target.entity)).map((d) => [d.key, d]));
  for (const param of params) {
    const [, key, op] = FIELD_FILTER_PARAM.exec(param)!;
    const def = definitions.get(key!);
    if (!def) {
      throw invalid(param, "unknown field");
    }
    applyFilter(builder, target.alias, def, param, op, String(query[param]));
  }
  if (!isFieldSort) {
    return null;
  }
  const key = query.sort.replace(/^-?f\./, "");
  const def = definitions.get(key);
  if (!def || !SAFE_KEY.test(def.key)) {
    throw invalid("sort", `unknown field ${key}`);
  }
  if (UNSORTABLE.includes(def.type)) {
    throw invalid("sort", `${def.type} fields cannot be sorted`);
  }
  const sort = fieldSort<Row>(target.alias, def, query.sort.startsWith("-"));
  builder.select(db.raw(`${sort.expr} as field_sort`));
  return sort;
}
