import type {
  FieldDefinition,
  FieldDefinitionCreate,
  FieldDefinitionUpdate,
  FieldReorder,
} from "@okno/contracts";
import type { Knex } from "knex";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { pipelineExists } from "../pipelines/repo.ts";
import { announceFieldChange, forgetDefinitions } from "./cache.ts";
import {
  countOptionUse,
  deleteDefinition,
  insertDefinition,
  listDefinitionRows,
  nextSort,
  rewriteFieldValues,
  toDefinitionColumns,
  toFieldDefinition,
  updateDefinition,
  type FieldDefinitionRow,
} from "./repo.ts";

const fieldNotFound = () => notFound("field");
const AUDIT_ENTITY = "fields";

/**
 * Runs a change to definitions in a transaction that also announces it, then forgets this instance's
 * cache: the next write here sees the change at once, other instances when the NOTIFY arrives.
 */
async function changeDefinitions<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const result = await db.transaction(work);
  forgetDefinitions(db);
  return result;
}

async function assertPipeline(
  db: Knex | Knex.Transaction,
  pipelineId: string | null | undefined,
): Promise<void> {
  if (pipelineId && !(await pipelineExists(db, pipelineId))) {
    throw badRequest("unknown pipeline", { "body.pipelineId": "no such pipeline" });
  }
}

async function lockDefinition(trx: Knex.Transaction, id: string): Promise<FieldDefinitionRow> {
  const row = await trx("field_definitions")
    .where("id", id)
    .forUpdate()
    .first<FieldDefinitionRow | undefined>();
  if (!row) {
    throw fieldNotFound();
  }
  return row;
}

export async function createField(
  db: Knex,
  p: Principal,
  input: FieldDefinitionCreate,
): Promise<FieldDefinition> {
  await assertPipeline(db, input.pipelineId);
  return changeDefinitions(db, async (trx) => {
    if (await trx("field_definitions").where({ entity: input.entity, key: input.key }).first("id")) {
      throw conflict(`${input.entity} already have a field with this key`, { "body.key": "already used" });
    }
    const row = await insertDefinition(trx, {
      ...toDefinitionColumns({ ...input, options: input.options ?? [] }),
      entity: input.entity,
      key: input.key,
      type: input.type,
      sort: input.sort ?? (await nextSort(trx, input.entity)),
    });
    const created = toFieldDefinition(row);
    await recordAudit(trx, actorOf(p), {
      entity: AUDIT_ENTITY,
      recordId: row.id,
      action: "create",
      after: created,
    });
    await announceFieldChange(trx, input.entity);
    return created;
  });
}

/**
 * Options that the update drops and records still hold: a 409 listing them, unless `force`, in which case
 * the values are cleared from the records (audited like any other change to them).
 */
async function dropRemovedOptions(
  trx: Knex.Transaction,
  p: Principal,
  row: FieldDefinitionRow,
  input: FieldDefinitionUpdate,
): Promise<void> {
  const kept = new Set((input.options ?? row.options).map((o) => o.value));
  const removed = row.options.map((o) => o.value).filter((v) => !kept.has(v));
  if (removed.length === 0) {
    return;
  }
  const isMulti = row.type === "multi-enum";
  const used = await countOptionUse(trx, row.entity, row.key, removed, isMulti);
  if (used.length > 0 && !input.force) {
    const list = used.map((u) => `${u.value} (${u.n})`).join(", ");
    throw conflict(`options still in use: ${list}; send "force": true to clear them from the records`, {
      "body.options": `still used by records: ${list}`,
    });
  }
  if (used.length > 0) {
    const meta = { field: row.key, reason: "options removed", options: removed };
    await rewriteFieldValues(
      trx,
      actorOf(p),
      row.entity,
      row.key,
      { kind: "removeOptions", removed, isMulti },
      meta,
    );
  }
}

export async function updateField(
  db: Knex,
  p: Principal,
  id: string,
  input: FieldDefinitionUpdate,
): Promise<FieldDefinition> {
  await assertPipeline(db, input.pipelineId);
  return changeDefinitions(db, async (trx) => {
    const row = await lockDefinition(trx, id);
    if (input.options && row.type !== "enum" && row.type !== "multi-enum") {
      throw badRequest("only enum and multi-enum fields have options", {
        "body.options": "not an enum field",
      });
    }
    if (input.pipelineId && row.entity !== "deals") {
      throw badRequest("only deal fields can belong to a pipeline", {
        "body.pipelineId": "only deal fields can belong to a pipeline",
      });
    }
    await dropRemovedOptions(trx, p, row, input);
    const updated = toFieldDefinition(await updateDefinition(trx, id, toDefinitionColumns(input)));
    await recordAudit(trx, actorOf(p), {
      entity: AUDIT_ENTITY,
      recordId: id,
      action: "update",
      before: toFieldDefinition(row),
      after: updated,
    });
    await announceFieldChange(trx, row.entity);
    return updated;
  });
}

/** Puts an entity's fields in the given order; the list must name each of its fields exactly once. */
export async function reorderFields(db: Knex, p: Principal, input: FieldReorder): Promise<FieldDefinition[]> {
  return changeDefinitions(db, async (trx) => {
    const rows = await trx("field_definitions")
      .where("entity", input.entity)
      .forUpdate()
      .select<FieldDefinitionRow[]>("*");
    const ids = new Set(input.ids);
    if (ids.size !== input.ids.length || ids.size !== rows.length || rows.some((r) => !ids.has(r.id))) {
      throw badRequest(`the list must name every ${input.entity} field exactly once`, {
        "body.ids": `must list each of the ${rows.length} ${input.entity} fields once`,
      });
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, id] of input.ids.entries()) {
      const row = byId.get(id)!;
      const sort = (i + 1) * 10;
      if (row.sort !== sort) {
        const updated = await updateDefinition(trx, id, { sort });
        await recordAudit(trx, actorOf(p), {
          entity: AUDIT_ENTITY,
          recordId: id,
          action: "update",
          before: { sort: row.sort },
          after: { sort: updated.sort },
        });
      }
    }
    await announceFieldChange(trx, input.entity);
    return (await listDefinitionRows(trx, input.entity)).map(toFieldDefinition);
  });
}

/**
 * Deletes a field in one transaction: its values leave every record (each record's audit keeps the old
 * value), the definition's own audit row keeps the definition, and forms and filters stop offering it.
 */
export async function deleteField(db: Knex, p: Principal, id: string): Promise<void> {
  await changeDefinitions(db, async (trx) => {
    const row = await lockDefinition(trx, id);
    const meta = { field: row.key, reason: "field deleted" };
    const records = await rewriteFieldValues(trx, actorOf(p), row.entity, row.key, { kind: "remove" }, meta);
    await recordAudit(trx, actorOf(p), {
      entity: AUDIT_ENTITY,
      recordId: id,
      action: "delete",
      before: toFieldDefinition(row),
      after: null,
      meta: { clearedRecords: records },
    });
    await deleteDefinition(trx, id);
    await announceFieldChange(trx, row.entity);
  });
}
