import type { Lead, LeadCreate, LeadStatus, LeadUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { assertReferencesExist } from "../access/references.ts";
import { conflict, notFound } from "../errors.ts";
import { assertLinksVisible } from "../access/links.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { deleteLead, findLeadRowById, insertLead, toColumns, toLead, updateLeadColumns } from "./repo.ts";

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
    const id = await insertLead(trx, { ...input, ownerId, createdBy: p.userId });
    await publishChange(trx, { entity: "leads", id, action: "created", ownerIds: [ownerId] });
    return toLead((await findLeadRowById(trx, id))!);
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
    const before = await trx("leads")
      .where("id", id)
      .forUpdate()
      .first<{ owner_id: string; status: LeadStatus } | undefined>("owner_id", "status");
    if (!before) {
      throw leadNotFound();
    }
    // A converted lead has its deal; sending it back to work would leave two live records for one sale.
    if (before.status === "converted" && input.status) {
      throw conflict("the lead is converted; its status can no longer change", {
        "body.status": "lead is converted",
      });
    }
    await updateLeadColumns(trx, id, toColumns(input));
    const ownerIds = [before.owner_id, input.ownerId ?? before.owner_id];
    await publishChange(trx, { entity: "leads", id, action: "updated", ownerIds });
    return toLead((await findLeadRowById(trx, id))!);
  });
}

export async function removeLead(db: Knex, p: Principal, id: string): Promise<void> {
  await assertRecordInScope(db, p, "leads", "leads", id, leadNotFound());
  await db.transaction(async (trx) => {
    const row = await trx("leads").where("id", id).first<{ owner_id: string } | undefined>("owner_id");
    await deleteLead(trx, id);
    await publishChange(trx, { entity: "leads", id, action: "deleted", ownerIds: row ? [row.owner_id] : [] });
  });
}
