import type { Company, CompanyCreate, CompanyUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { assertReferencesExist } from "../access/references.ts";
import { conflict, notFound } from "../errors.ts";
import { mergeFieldValues, resolveFieldValues } from "../fields/values.ts";
import { publishChange } from "../realtime/publishChange.ts";
import {
  deleteCompany,
  externalIdTaken,
  findCompanyRowById,
  insertCompany,
  toCompany,
  updateCompanyColumns,
} from "./repo.ts";

export const companyNotFound = () => notFound("company");

/** The 1C Ref_Key identifies one counterparty: two companies with it would make the exchange ambiguous. */
async function assertExternalIdFree(
  db: Knex,
  externalId: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (externalId && (await externalIdTaken(db, externalId, exceptId))) {
    throw conflict("another company has this 1C key", { "body.externalId": "already used" });
  }
}

export async function createCompany(db: Knex, p: Principal, input: CompanyCreate): Promise<Company> {
  const ownerId = input.ownerId ?? p.userId;
  await assertCanAssign(db, p, "companies", ownerId);
  await assertReferencesExist(db, [{ field: "sourceId", table: "sources", id: input.sourceId }]);
  await assertExternalIdFree(db, input.externalId);
  return db.transaction(async (trx) => {
    const fields = await resolveFieldValues(trx, "companies", input.fields, { mode: "create" });
    const id = await insertCompany(trx, { ...input, fields, ownerId, createdBy: p.userId });
    await publishChange(trx, { entity: "companies", id, action: "created", ownerIds: [ownerId] });
    const company = toCompany((await findCompanyRowById(trx, id))!);
    await auditChange(trx, p, "companies", null, company);
    return company;
  });
}

export async function getCompany(db: Knex, p: Principal, id: string): Promise<Company> {
  await assertRecordInScope(db, p, "companies", "companies", id, companyNotFound());
  return toCompany((await findCompanyRowById(db, id))!);
}

export async function updateCompany(
  db: Knex,
  p: Principal,
  id: string,
  input: CompanyUpdate,
): Promise<Company> {
  await assertRecordInScope(db, p, "companies", "companies", id, companyNotFound());
  if (input.ownerId) {
    await assertCanAssign(db, p, "companies", input.ownerId);
  }
  await assertReferencesExist(db, [{ field: "sourceId", table: "sources", id: input.sourceId }]);
  await assertExternalIdFree(db, input.externalId, id);
  return db.transaction(async (trx) => {
    const before = await trx("companies").where("id", id).forUpdate().first<{ owner_id: string }>("owner_id");
    if (!before) {
      throw companyNotFound();
    }
    const old = toCompany((await findCompanyRowById(trx, id))!);
    const fields = await mergeFieldValues(trx, "companies", id, input.fields);
    await updateCompanyColumns(trx, id, { ...input, fields });
    const ownerIds = [before.owner_id, input.ownerId ?? before.owner_id];
    await publishChange(trx, { entity: "companies", id, action: "updated", ownerIds });
    const company = toCompany((await findCompanyRowById(trx, id))!);
    await auditChange(trx, p, "companies", old, company);
    return company;
  });
}

/** Deleting a company unlinks its contacts, deals and leads (they stay); its tasks and timeline go with it. */
export async function removeCompany(db: Knex, p: Principal, id: string): Promise<void> {
  await assertRecordInScope(db, p, "companies", "companies", id, companyNotFound());
  await db.transaction(async (trx) => {
    const row = await findCompanyRowById(trx, id);
    await deleteCompany(trx, id);
    await publishChange(trx, {
      entity: "companies",
      id,
      action: "deleted",
      ownerIds: row ? [row.owner_id] : [],
    });
    await auditChange(trx, p, "companies", row ? toCompany(row) : null, null);
  });
}
