import type { Lead, LeadCreate, LeadUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { assertReferencesExist } from "../access/references.ts";
import { conflict, notFound } from "../errors.ts";
import { assertLinksVisible } from "../access/links.ts";
import { mergeFieldValues, resolveFieldValues } from "../fields/values.ts";
import { publishChange } from "../realtime/publishChange.ts";
import {
  deleteLead,
  findLeadRowById,
  insertLead,
  selectLeads,
  toColumns,
  toLead,
  updateLeadColumns,
  type LeadRow,
} from "./repo.ts";

export const leadNotFound = () => notFound("lead");

/** A lead may point at a contact and a company in the user's scope, and at existing sources and campaigns. */
async function assertLeadLinks(db: Knex, p: Principal, input: LeadUpdate): Promise<void> {
  await assertLinksVisible(db, p, { contactId: input.contactId, companyId: input.companyId });
  await assertReferencesExist(db, [
    { field: "sourceId", table: "sources", id: input.sourceId },
    { field: "campaignId", table: "campaigns", id: input.campaignId },
  ]);
}

export async function createLead(db: Knex, p: Principal, input: LeadCreate): Promise<Lead> {
  const ownerId = input.ownerId ?? p.userId;
  await assertCanAssign(db, p, "leads", ownerId);
  await assertLeadLinks(db, p, input);
  return db.transaction(async (trx) => {
    const fields = await resolveFieldValues(trx, "leads", input.fields, { mode: "create" });
    const id = await insertLead(trx, { ...input, fields, ownerId, createdBy: p.userId });
    await publishChange(trx, { entity: "leads", id, action: "created", ownerIds: [ownerId] });
    const lead = toLead((await findLeadRowById(trx, id))!);
    await auditChange(trx, p, "leads", null, lead);
    return lead;
  });
}

export async function getLead(db: Knex, p: Principal, id: string): Promise<Lead> {
  await assertRecordInScope(db, p, "leads", "leads", id, leadNotFound());
  return toLead((await findLeadRowById(db, id))!);
}

export async function updateLead(db: Knex, p: Principal, id: string, input: LeadUpdate): Promise<Lead> {
  await assertRecordInScope(db, p, "leads", "leads", id, leadNotFound());
  if (input.ownerId) {
    await assertCanAssign(db, p, "leads", input.ownerId);
  }
  await assertLeadLinks(db, p, input);
  return db.transaction(async (trx) => {
    const before = await selectLeads(trx).where("l.id", id).forUpdate().first<LeadRow | undefined>();
    if (!before) {
      throw leadNotFound();
    }
    // A converted lead has its deal; sending it back to work would leave two live records for one sale.
    if (before.status === "converted" && input.status) {
      throw conflict("the lead is converted; its status can no longer change", {
        "body.status": "lead is converted",
      });
    }
    const fields = await mergeFieldValues(trx, "leads", id, input.fields);
    await updateLeadColumns(trx, id, toColumns({ ...input, fields }));
    const ownerIds = [before.owner_id, input.ownerId ?? before.owner_id];
    await publishChange(trx, { entity: "leads", id, action: "updated", ownerIds });
    const lead = toLead((await findLeadRowById(trx, id))!);
    await auditChange(trx, p, "leads", toLead(before), lead);
    return lead;
  });
}

export async function removeLead(db: Knex, p: Principal, id: string): Promise<void> {
  await assertRecordInScope(db, p, "leads", "leads", id, leadNotFound());
  await db.transaction(async (trx) => {
    const row = await findLeadRowById(trx, id);
    await deleteLead(trx, id);
    await publishChange(trx, { entity: "leads", id, action: "deleted", ownerIds: row ? [row.owner_id] : [] });
    await auditChange(trx, p, "leads", row ? toLead(row) : null, null);
  });
}
