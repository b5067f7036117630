import type { Deal, DealCreate, DealUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { notFound } from "../errors.ts";
import { assertLinksVisible } from "../access/links.ts";
import { mergeFieldValues, resolveFieldValues } from "../fields/values.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { assertReferencesExist } from "../access/references.ts";
import {
  deleteDeal,
  findDealRowById,
  insertDeal,
  selectDeals,
  toColumns,
  toDeal,
  updateDealColumns,
  type DealColumns,
  type DealRow,
} from "./repo.ts";
import { resolveStage, stageColumns } from "./stages.ts";

const dealNotFound = () => notFound("deal");

/** Company, contact and source of a deal: the first two must be in the user's scope, the source must exist. */
async function assertDealLinks(db: Knex, p: Principal, input: DealUpdate): Promise<void> {
  await assertLinksVisible(db, p, { companyId: input.companyId, contactId: input.contactId });
  await assertReferencesExist(db, [{ field: "sourceId", table: "sources", id: input.sourceId }]);
}

/**
 * Inserts a deal inside the caller's transaction, in the stage `resolveStage` picks (a won or lost stage
 * closes it at once). Shared by deal creation and lead conversion; access checks are the caller's.
 */
export async function insertDealIn(
  trx: Knex.Transaction,
  input: DealColumns & {
    pipelineId?: string | undefined;
    stageId?: string | undefined;
    ownerId: string;
    createdBy: string;
    leadId?: string;
  },
): Promise<Deal> {
  const stage = await resolveStage(trx, input.pipelineId, input.stageId);
  const id = await insertDeal(trx, {
    ...toColumns(input),
    ...stageColumns(trx, stage, null),
    lead_id: input.leadId ?? null,
    created_by: input.createdBy,
  });
  return toDeal((await findDealRowById(trx, id))!);
}

export async function createDeal(db: Knex, p: Principal, input: DealCreate): Promise<Deal> {
  const ownerId = input.ownerId ?? p.userId;
  await assertCanAssign(db, p, "deals", ownerId);
  await assertDealLinks(db, p, input);
  return db.transaction(async (trx) => {
    // The pipeline decides which custom fields apply, so it is resolved before the values are checked.
    const stage = await resolveStage(trx, input.pipelineId, input.stageId);
    const fields = await resolveFieldValues(trx, "deals", input.fields, {
      mode: "create",
      pipelineId: stage.pipeline_id,
    });
    const placed = { pipelineId: stage.pipeline_id, stageId: stage.id };
    const deal = await insertDealIn(trx, { ...input, ...placed, fields, ownerId, createdBy: p.userId });
    await publishChange(trx, { entity: "deals", id: deal.id, action: "created", ownerIds: [ownerId] });
    await auditChange(trx, p, "deals", null, deal);
    return deal;
  });
}

export async function getDeal(db: Knex, p: Principal, id: string): Promise<Deal> {
  await assertRecordInScope(db, p, "deals", "deals", id, dealNotFound());
  return toDeal((await findDealRowById(db, id))!);
}

interface DealBefore {
  owner_id: string;
  pipeline_id: string;
  stage_id: string;
  closed_at: Date | null;
}

/**
 * Moves the deal when the body names a stage, or a pipeline other than its own (then to that pipeline's
 * first stage). A stage given alone must be in the deal's current pipeline.
 */
async function stageChange(
  trx: Knex.Transaction,
  before: DealBefore,
  input: DealUpdate,
): Promise<Record<string, unknown>> {
  const pipelineId = input.pipelineId ?? before.pipeline_id;
  const moves = input.stageId !== undefined || pipelineId !== before.pipeline_id;
  if (!moves) {
    return {};
  }
  const stage = await resolveStage(trx, pipelineId, input.stageId);
  return stage.id === before.stage_id ? {} : stageColumns(trx, stage, before.closed_at);
}

export async function updateDeal(db: Knex, p: Principal, id: string, input: DealUpdate): Promise<Deal> {
  await assertRecordInScope(db, p, "deals", "deals", id, dealNotFound());
  if (input.ownerId) {
    await assertCanAssign(db, p, "deals", input.ownerId);
  }
  await assertDealLinks(db, p, input);
  return db.transaction(async (trx) => {
    const before = await selectDeals(trx).where("d.id", id).forUpdate().first<DealRow | undefined>();
    if (!before) {
      throw dealNotFound();
    }
    const moved = await stageChange(trx, before, input);
    const pipelineId = (moved.pipeline_id as string | undefined) ?? before.pipeline_id;
    const fields = await mergeFieldValues(trx, "deals", id, input.fields, {
      pipelineId,
      revalidate: pipelineId !== before.pipeline_id,
    });
    await updateDealColumns(trx, id, { ...toColumns({ ...input, fields }), ...moved });
    const ownerIds = [before.owner_id, input.ownerId ?? before.owner_id];
    await publishChange(trx, { entity: "deals", id, action: "updated", ownerIds });
    const deal = toDeal((await findDealRowById(trx, id))!);
    await auditChange(trx, p, "deals", toDeal(before), deal);
    return deal;
  });
}

export async function removeDeal(db: Knex, p: Principal, id: string): Promise<void> {
  await assertRecordInScope(db, p, "deals", "deals", id, dealNotFound());
  await db.transaction(async (trx) => {
    const row = await findDealRowById(trx, id);
    await deleteDeal(trx, id);
    await publishChange(trx, { entity: "deals", id, action: "deleted", ownerIds: row ? [row.owner_id] : [] });
    await auditChange(trx, p, "deals", row ? toDeal(row) : null, null);
  });
}
