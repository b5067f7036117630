import type { Company, CompanyMerge, Contact, ContactMerge } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { selectCompanies, toCompany, type CompanyRow } from "../companies/repo.ts";
import { selectContacts, toContact, type ContactRow } from "../contacts/repo.ts";
import { badRequest, notFound } from "../errors.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { moveReferences, type MergedTable } from "./references.ts";

/** A record as the API shows it (custom fields included): what the audit entry keeps of each one. */
type Snapshot = { id: string; ownerId: string; fields: Record<string, unknown> } & Record<string, unknown>;

interface MergeSpec {
  table: MergedTable;
  noun: string;
  /** API field → column, for the fields a user may pick. */
  columns: Record<string, string>;
  load(trx: Knex.Transaction, ids: string[]): Promise<{ id: string; shape: Record<string, unknown> }[]>;
}

const CONTACTS: MergeSpec = {
  table: "contacts",
  noun: "contact",
  columns: {
    lastName: "last_name",
    firstName: "first_name",
    middleName: "middle_name",
    position: "position",
    birthday: "birthday",
    note: "note",
    ownerId: "owner_id",
    sourceId: "source_id",
  },
  load: async (trx, ids) =>
    ((await selectContacts(trx).whereIn("c.id", ids)) as ContactRow[]).map((r) => ({
      id: r.id,
      shape: toContact(r),
    })),
};

const COMPANIES: MergeSpec = {
  table: "companies",
  noun: "company",
  columns: {
    name: "name",
    inn: "inn",
    kpp: "kpp",
    ogrn: "ogrn",
    externalId: "external_id",
    phone: "phone",
    email: "email",
    website: "website",
    address: "address",
    note: "note",
    ownerId: "owner_id",
    sourceId: "source_id",
  },
  load: async (trx, ids) =>
    ((await selectCompanies(trx).whereIn("co.id", ids)) as CompanyRow[]).map((r) => ({
      id: r.id,
      shape: toCompany(r),
    })),
};

async function snapshots(
  trx: Knex.Transaction,
  spec: MergeSpec,
  ids: string[],
): Promise<Map<string, Snapshot>> {
  return new Map((await spec.load(trx, ids)).map(({ id, shape }) => [id, shape as Snapshot]));
}

export interface MergeInput {
  survivorId: string;
  mergedIds: string[];
  pick?: Record<string, string> | undefined;
}

/** 400 for a body that cannot describe a merge, before anything is read or locked. */
function assertMergeInput(input: MergeInput): void {
  const fields: Record<string, string> = {};
  input.mergedIds.forEach((id, i) => {
    if (id === input.survivorId) {
      fields[`body.mergedIds.${i}`] = "the survivor cannot be merged into itself";
    } else if (input.mergedIds.indexOf(id) !== i) {
      fields[`body.mergedIds.${i}`] = "listed twice";
    }
  });
  const ids = new Set([input.survivorId, ...input.mergedIds]);
  for (const [field, id] of Object.entries(input.pick ?? {})) {
    if (!ids.has(id)) {
      fields[`body.pick.${field}`] = "must be the survivor or one of mergedIds";
    }
  }
  if (Object.keys(fields).length > 0) {
    throw badRequest("invalid merge", fields);
  }
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "";

/**
 * The survivor's new values: the picked record's value for a picked field, otherwise the survivor's own,
 * or the first merged record's when the survivor has none (a merge never loses a birthday nobody chose).
 * Custom fields merge key by key the same way.
 */
function mergedValues(
  spec: MergeSpec,
  survivor: Snapshot,
  merged: Snapshot[],
  pick: Record<string, string>,
  byId: Map<string, Snapshot>,
): { columns: Record<string, unknown>; fields: Record<string, unknown> } {
  const columns: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(spec.columns)) {
    const source = pick[field];
    const own = source ? byId.get(source)![field] : survivor[field];
    columns[column] =
      !source && isEmpty(own) ? (merged.map((m) => m[field]).find((v) => !isEmpty(v)) ?? own) : own;
  }
  // Earlier records win over later ones, and the survivor over all.
  const fields: Record<string, unknown> = {
    ...merged.reduceRight<Record<string, unknown>>((acc, m) => ({ ...acc, ...m.fields }), {}),
    ...survivor.fields,
  };
  for (const [key, source] of Object.entries(pick).filter(([k]) => k.startsWith("fields."))) {
    const name = key.slice("fields.".length);
    const from = byId.get(source)!.fields;
    if (name in from) {
      fields[name] = from[name];
    } else {
      delete fields[name];
    }
  }
  return { columns, fields };
}

/** Locks every record (in id order, so two merges cannot deadlock), then checks each is in scope. */
async function lockInScope(
  trx: Knex.Transaction,
  p: Principal,
  spec: MergeSpec,
  ids: string[],
): Promise<void> {
  await trx(spec.table).whereIn("id", ids).orderBy("id").forUpdate().select("id");
  for (const id of ids) {
    await assertRecordInScope(trx, p, spec.table, spec.table, id, notFound(spec.noun));
  }
}

/**
 * Merges inside the caller's transaction: the survivor takes every reference, the picked values and the
 * union of custom fields; the others are deleted. One audit entry on the survivor tells the whole story
 * (every merged record as it was, the survivor before and after, what moved).
 */
async function mergeRecords(
  trx: Knex.Transaction,
  p: Principal,
  spec: MergeSpec,
  input: MergeInput,
  meta: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const { survivorId, mergedIds } = input;
  const pick = input.pick ?? {};
  await lockInScope(trx, p, spec, [survivorId, ...mergedIds]);
  const before = await snapshots(trx, spec, [survivorId, ...mergedIds]);
  const survivor = before.get(survivorId)!;
  const merged = mergedIds.map((id) => before.get(id)!);
  const values = mergedValues(spec, survivor, merged, pick, before);
  if (values.columns.owner_id !== survivor.ownerId) {
    await assertCanAssign(trx, p, spec.table, values.columns.owner_id as string);
  }
  const moved = await moveReferences(trx, spec.table, survivorId, mergedIds);
  await trx(spec.table).whereIn("id", mergedIds).delete();
  await trx(spec.table)
    .where("id", survivorId)
    .update({ ...values.columns, fields: JSON.stringify(values.fields), updated_at: trx.fn.now() });
  const after = (await snapshots(trx, spec, [survivorId])).get(survivorId)!;
  await recordAudit(trx, actorOf(p), {
    entity: spec.table,
    recordId: survivorId,
    action: "merge",
    before: survivor,
    after,
    meta: { ...meta, mergedIds, merged, pick, moved },
  });
  const ownerIds = [survivor.ownerId, after.ownerId];
  await publishChange(trx, { entity: spec.table, id: survivorId, action: "updated", ownerIds });
  for (const m of merged) {
    await publishChange(trx, { entity: spec.table, id: m.id, action: "deleted", ownerIds: [m.ownerId] });
  }
  return after;
}

/** POST /contacts/merge. */
export async function mergeContacts(db: Knex, p: Principal, input: ContactMerge): Promise<Contact> {
  assertMergeInput(input);
  return db.transaction(async (trx) => (await mergeRecords(trx, p, CONTACTS, input)) as Contact);
}

/** POST /companies/merge. */
export async function mergeCompanies(db: Knex, p: Principal, input: CompanyMerge): Promise<Company> {
  assertMergeInput(input);
  return db.transaction(async (trx) => (await mergeRecords(trx, p, COMPANIES, input)) as Company);
}

/** The same merge inside a caller's transaction ("attach this number" merges an empty contact). */
export function mergeContactsIn(
  trx: Knex.Transaction,
  p: Principal,
  input: MergeInput,
  meta: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  assertMergeInput(input);
  return mergeRecords(trx, p, CONTACTS, input, meta);
}
