import { z } from "zod";
import { Id, Text } from "./common.ts";
import { FieldOption, FieldType, normalizeFieldValue } from "./fieldValue.ts";

export {
  FieldOption,
  FieldType,
  FileValue,
  normalizeFieldValue,
  type FieldValueResult,
} from "./fieldValue.ts";

/** Records that carry custom fields. */
export const FieldEntity = z.enum(["contacts", "companies", "leads", "deals"]);
export type FieldEntity = z.infer<typeof FieldEntity>;

/** Where values live in a record's `fields`: a stable slug, unique per entity, never renamed. */
export const FieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, "lower-case Latin letters, digits and _, starting with a letter");

const ENUM_TYPES: readonly FieldType[] = ["enum", "multi-enum"];

/** Option values are what records store: two options with one value could not be told apart. */
function checkUniqueOptions(options: readonly FieldOption[] | undefined, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  options?.forEach((o, i) => {
    if (seen.has(o.value)) {
      ctx.addIssue({ code: "custom", path: ["options", i, "value"], message: "duplicate option value" });
    }
    seen.add(o.value);
  });
}

const Section = z
  .string()
  .trim()
  .max(100)
  .transform((s) => s || null);
const Sort = z.number().int().min(0).max(1_000_000);
const Options = z.array(FieldOption).max(500);

export const FieldDefinitionCreate = z
  .strictObject({
    entity: FieldEntity,
    key: FieldKey,
    /** What forms show, in Russian: «Размер кухни». */
    label: Text(200),
    type: FieldType,
    /** Choices of an enum or multi-enum field (required for those, refused for others). */
    options: Options.optional(),
    isRequired: z.boolean().default(false),
    /** Only deals in this pipeline have the field; null or absent: every pipeline. Deals only. */
    pipelineId: Id.nullable().optional(),
    /** Group name on the form («Замер»); null: the default group. */
    section: Section.nullable().optional(),
    /** Position on the form, ascending; defaults to after the last field. */
    sort: Sort.optional(),
    /** Kept and filterable, but forms skip it. */
    isHidden: z.boolean().default(false),
  })
  .superRefine((d, ctx) => {
    const isEnum = ENUM_TYPES.includes(d.type);
    if (isEnum && (d.options ?? []).length === 0) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "an enum field needs at least one option" });
    }
    if (!isEnum && d.options !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "only enum and multi-enum fields have options",
      });
    }
    if (d.pipelineId && d.entity !== "deals") {
      ctx.addIssue({
        code: "custom",
        path: ["pipelineId"],
        message: "only deal fields can belong to a pipeline",
      });
    }
    checkUniqueOptions(d.options, ctx);
  });
export type FieldDefinitionCreate = z.infer<typeof FieldDefinitionCreate>;
export type FieldDefinitionCreateInput = z.input<typeof FieldDefinitionCreate>;

/** PATCH: the key, type and entity never change (records and filters depend on them). */
export const FieldDefinitionUpdate = z
  .strictObject({
    label: Text(200).optional(),
    options: Options.min(1).optional(),
    /**
     * Remove options that records still use: those values are cleared from the records (each change
     * audited). Without it, removing a used option is a 409.
     */
    force: z.boolean().optional(),
    isRequired: z.boolean().optional(),
    pipelineId: Id.nullable().optional(),
    section: Section.nullable().optional(),
    sort: Sort.optional(),
    isHidden: z.boolean().optional(),
  })
  .superRefine((d, ctx) => checkUniqueOptions(d.options, ctx));
export type FieldDefinitionUpdate = z.infer<typeof FieldDefinitionUpdate>;

export const FieldDefinition = z.object({
  id: Id,
  entity: FieldEntity,
  key: z.string(),
  label: z.string(),
  type: FieldType,
  options: z.array(FieldOption),
  isRequired: z.boolean(),
  pipelineId: Id.nullable(),
  section: z.string().nullable(),
  sort: z.number().int(),
  isHidden: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const FieldDefinitionList = z.object({ items: z.array(FieldDefinition) });

export const FieldListQuery = z.strictObject({ entity: FieldEntity });

/** The new order of an entity's fields: every one of its field ids, once each. */
export const FieldReorder = z.strictObject({ entity: FieldEntity, ids: z.array(Id).min(1).max(500) });
export type FieldReorder = z.infer<typeof FieldReorder>;

/** Custom field values in a create or update body: `{ key: value }`; in an update, null removes a value. */
export const FieldValuesInput = z.record(z.string(), z.unknown());

/** What validation needs of a definition. */
export type FieldRule = Pick<
  FieldDefinition,
  "key" | "type" | "options" | "isRequired" | "isHidden" | "pipelineId"
>;

export interface FieldValidationOptions {
  mode: "create" | "update";
  /** The record's current values (update); given keys replace them, null removes, the rest stay. */
  existing?: Record<string, unknown> | undefined;
  /** The pipeline the record is in after the write (deals): fields of other pipelines do not apply. */
  pipelineId?: string | null | undefined;
}

export type FieldValidation =
  { ok: true; values: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

const errorPath = (key: string) => `body.fields.${key}`;

/**
 * Validates the custom field values of a write against the definitions and returns the record's complete
 * values after it, normalised (see normalizeFieldValue), or errors keyed `body.fields.<key>`.
 * - A key without a definition is an error; so is one of a field scoped to another pipeline.
 * - Required fields must have a value in the result, on create and on update (hidden fields excepted:
 *   no form shows them, so none could fill them).
 * - Existing values of fields that do not apply (a deal moved to another pipeline) are kept as they are.
 */
export function validateFieldValues(
  definitions: readonly FieldRule[],
  input: Record<string, unknown> | undefined,
  options: FieldValidationOptions,
): FieldValidation {
  const applies = (d: FieldRule) => d.pipelineId === null || d.pipelineId === options.pipelineId;
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const values: Record<string, unknown> = options.mode === "update" ? { ...options.existing } : {};
  const errors: Record<string, string> = {};
  for (const [key, raw] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def || !applies(def)) {
      errors[errorPath(key)] = def ? "not a field of this pipeline" : "unknown field";
      continue;
    }
    const result = normalizeFieldValue(def, raw);
    if (!result.ok) {
      errors[errorPath(key)] = result.reason;
    } else if (result.value === undefined) {
      delete values[key];
    } else {
      values[key] = result.value;
    }
  }
  for (const def of definitions) {
    const missing = values[def.key] === undefined && errors[errorPath(def.key)] === undefined;
    if (def.isRequired && !def.isHidden && applies(def) && missing) {
      errors[errorPath(def.key)] = "required";
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** A list query parameter on a custom field: `f.<key>` (equals), `f.<key>.gte`, `f.<key>.lte`. */
export const FIELD_FILTER_PARAM = /^f\.([a-z][a-z0-9_]*)(?:\.(gte|lte))?$/;

/** `sort=f.<key>` or `sort=-f.<key>`: a list ordered by a custom field. */
export const FieldSort = z
  .string()
  .regex(/^-?f\.[a-z][a-z0-9_]*$/)
  .transform((s) => s as `f.${string}` | `-f.${string}`);

/**
 * Lets a strict list query also take `f.<key>[.gte|.lte]` parameters (text; checked against the field
 * definitions by the server) while every other unknown parameter is still refused.
 */
export function withFieldFilters<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return schema.catchall(z.string().max(500)).superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (!(key in schema.shape) && !FIELD_FILTER_PARAM.test(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: "unknown parameter" });
      }
    }
  });
}

/** An uploaded file (POST /files). */
export const StoredFile = z.object({
  id: Id,
  name: z.string(),
  contentType: z.string(),
  /** Bytes. */
  size: z.number().int(),
  /** Hex SHA-256 of the content. */
  sha256: z.string(),
  uploadedBy: Id.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type StoredFile = z.infer<typeof StoredFile>;

/** POST /files?name=…: the body is the file itself; the name is what downloads are called. */
export const FileUploadQuery = z.strictObject({ name: z.string().trim().min(1).max(255) });
