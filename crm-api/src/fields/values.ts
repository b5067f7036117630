import {
  validateFieldValues,
  type FieldDefinition,
  type FieldEntity,
  type FieldValidationOptions,
  type FileValue,
} from "@okno/contracts";
import type { Knex } from "knex";
import { badRequest } from "../errors.ts";
import { loadDefinitions } from "./cache.ts";

const fieldError = (errors: Record<string, string>) =>
  badRequest(
    Object.entries(errors)
      .map(([path, reason]) => `${path}: ${reason}`)
      .join("; "),
    errors,
  );

/**
 * User and file values must point at an active user and an uploaded file. Only the values this write
 * gives are checked: a value written earlier stays valid when its user is later deactivated.
 */
async function assertReferencesExist(
  db: Knex | Knex.Transaction,
  definitions: FieldDefinition[],
  input: Record<string, unknown>,
  values: Record<string, unknown>,
): Promise<void> {
  const typeOf = new Map(definitions.map((d) => [d.key, d.type]));
  const users = new Map<string, string>();
  const files = new Map<string, string>();
  for (const key of Object.keys(input)) {
    const value = values[key];
    if (value !== undefined && typeOf.get(key) === "user") {
      users.set(key, value as string);
    } else if (value !== undefined && typeOf.get(key) === "file") {
      files.set(key, (value as FileValue).fileId);
    }
  }
  const activeUsers = users.size
    ? ((await db("users")
        .whereIn("id", [...users.values()])
        .where("is_active", true)
        .pluck("id")) as string[])
    : [];
  const storedFiles = files.size
    ? ((await db("files")
        .whereIn("id", [...files.values()])
        .pluck("id")) as string[])
    : [];
  const errors: Record<string, string> = {};
  for (const [key, id] of users) {
    if (!activeUsers.includes(id)) {
      errors[`body.fields.${key}`] = "no such active user";
    }
  }
  for (const [key, id] of files) {
    if (!storedFiles.includes(id)) {
      errors[`body.fields.${key}`] = "no such file";
    }
  }
  if (Object.keys(errors).length > 0) {
    throw fieldError(errors);
  }
}

/**
 * The record's custom field values after a write, validated against the entity's definitions (see
 * validateFieldValues) and the database; throws 400 naming `body.fields.<key>` and the reason. Call it
 * before writing anything, with the transaction when the record is locked for an update.
 */
export async function resolveFieldValues(
  db: Knex | Knex.Transaction,
  entity: FieldEntity,
  input: Record<string, unknown> | undefined,
  options: FieldValidationOptions,
): Promise<Record<string, unknown>> {
  const definitions = await loadDefinitions(db, entity);
  const result = validateFieldValues(definitions, input, options);
  if (!result.ok) {
    throw fieldError(result.errors);
  }
  await assertReferencesExist(db, definitions, input ?? {}, result.values);
  return result.values;
}

/**
 * For an update: the record's values after merging the body's `fields` into its current ones (given keys
 * replace, null removes, others stay), read under the caller's row lock; undefined when there is nothing
 * to write. `revalidate` checks the values even without `fields` in the body: a deal entering another
 * pipeline must have that pipeline's required fields.
 */
export async function mergeFieldValues(
  trx: Knex.Transaction,
  entity: FieldEntity,
  id: string,
  input: Record<string, unknown> | undefined,
  options: { pipelineId?: string | null; revalidate?: boolean } = {},
): Promise<Record<string, unknown> | undefined> {
  if (input === undefined && !options.revalidate) {
    return undefined;
  }
  const row = await trx(entity)
    .where("id", id)
    .first<{ fields: Record<string, unknown> } | undefined>("fields");
  return resolveFieldValues(trx, entity, input, {
    mode: "update",
    existing: row?.fields ?? {},
    pipelineId: options.pipelineId,
  });
}
