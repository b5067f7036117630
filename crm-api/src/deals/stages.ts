import type { Knex } from "knex";
import { badRequest } from "../errors.ts";
import {
  findDefaultPipelineId,
  findFirstStage,
  findStage,
  pipelineExists,
  type StageRow,
} from "../pipelines/repo.ts";

/**
 * The stage a deal goes to. A stage must belong to the pipeline when both are known; a pipeline alone
 * means its first stage; neither means the default pipeline's first stage. Errors name body fields, as
 * creation, update and lead conversion all take `pipelineId` / `stageId` in their bodies.
 */
export async function resolveStage(
  db: Knex | Knex.Transaction,
  pipelineId: string | undefined,
  stageId: string | undefined,
): Promise<StageRow> {
  if (stageId) {
    const stage = await findStage(db, stageId);
    if (!stage) {
      throw badRequest("unknown stage", { "body.stageId": "no such stage" });
    }
    if (pipelineId && stage.pipeline_id !== pipelineId) {
      throw badRequest("the stage belongs to another pipeline", {
        "body.stageId": "stage of another pipeline",
      });
    }
    return stage;
  }
  if (pipelineId && !(await pipelineExists(db, pipelineId))) {
    throw badRequest("unknown pipeline", { "body.pipelineId": "no such pipeline" });
  }
  const id = pipelineId ?? (await findDefaultPipelineId(db));
  const stage = id ? await findFirstStage(db, id) : undefined;
  if (!stage) {
    throw badRequest("no pipeline with stages to put the deal in", {
      "body.pipelineId": id ? "the pipeline has no stages" : "no pipeline is configured",
    });
  }
  return stage;
}

/**
 * Columns that follow from entering a stage:
 *
 *   open ──► won | lost     closed_at = now
 *   won  ◄─► lost           closed_at kept (the deal closed when it first left the open stages)
 *   won | lost ──► open     closed_at cleared (reopened)
 */
export function stageColumns(
  db: Knex | Knex.Transaction,
  stage: StageRow,
  closedAt: Date | null,
): Record<string, unknown> {
  return {
    pipeline_id: stage.pipeline_id,
    stage_id: stage.id,
    stage_changed_at: db.fn.now(),
    closed_at: stage.kind === "open" ? null : (closedAt ?? db.fn.now()),
  };
}
