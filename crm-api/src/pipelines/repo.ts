import type { Pipeline, PipelineCreate, Stage, StageKind } from "@okno/contracts";
import type { Knex } from "knex";

export interface StageRow {
  id: string;
  pipeline_id: string;
  name: string;
  sort: number;
  kind: StageKind;
  color: string | null;
  deadline_hours: number | null;
}

interface PipelineRow {
  id: string;
  name: string;
  sort: number;
  is_default: boolean;
}

const STAGE_COLUMNS = ["id", "pipeline_id", "name", "sort", "kind", "color", "deadline_hours"];

export function toStage(row: StageRow): Stage {
  return {
    id: row.id,
    name: row.name,
    sort: row.sort,
    kind: row.kind,
    color: row.color,
    deadlineHours: row.deadline_hours,
  };
}

/** Every pipeline with its stages in order: two queries, however many pipelines there are. */
export async function listPipelines(db: Knex | Knex.Transaction, ids?: string[]): Promise<Pipeline[]> {
  const pq = db("pipelines")
    .select<PipelineRow[]>("id", "name", "sort", "is_default")
    .orderBy(["sort", "name"]);
  const pipelines = await (ids ? pq.whereIn("id", ids) : pq);
  const stages = await db("stages")
    .whereIn(
      "pipeline_id",
      pipelines.map((p) => p.id),
    )
    .orderBy(["pipeline_id", "sort"])
    .select<StageRow[]>(STAGE_COLUMNS);
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    sort: p.sort,
    isDefault: p.is_default,
    stages: stages.filter((s) => s.pipeline_id === p.id).map(toStage),
  }));
}

export function findStage(db: Knex | Knex.Transaction, id: string): Promise<StageRow | undefined> {
  return db("stages").where("id", id).first<StageRow | undefined>(STAGE_COLUMNS);
}

/** Where new deals of a pipeline start: its lowest-sorted stage. */
export function findFirstStage(
  db: Knex | Knex.Transaction,
  pipelineId: string,
): Promise<StageRow | undefined> {
  return db("stages")
    .where("pipeline_id", pipelineId)
    .orderBy("sort")
    .first<StageRow | undefined>(STAGE_COLUMNS);
}

export async function pipelineExists(db: Knex | Knex.Transaction, id: string): Promise<boolean> {
  return (await db("pipelines").where("id", id).first("id")) !== undefined;
}

/** The pipeline flagged default, or else the first one in display order (a fresh install flags none). */
export async function findDefaultPipelineId(db: Knex | Knex.Transaction): Promise<string | undefined> {
  const row = await db("pipelines")
    .orderBy([
      { column: "is_default", order: "desc" },
      { column: "sort", order: "asc" },
      { column: "name", order: "asc" },
    ])
    .first<{ id: string } | undefined>("id");
  return row?.id;
}

export async function pipelineNameTaken(db: Knex | Knex.Transaction, name: string): Promise<boolean> {
  return (await db("pipelines").whereRaw("lower(name) = lower(?)", [name]).first("id")) !== undefined;
}

export async function insertPipeline(db: Knex.Transaction, input: PipelineCreate): Promise<string> {
  if (input.isDefault) {
    await db("pipelines").where("is_default", true).update({ is_default: false, updated_at: db.fn.now() });
  }
  const [row] = await db("pipelines")
    .insert({ name: input.name, sort: input.sort, is_default: input.isDefault })
    .returning<{ id: string }[]>("id");
  const id = row!.id;
  await db("stages").insert(
    input.stages.map((s, i) => ({
      pipeline_id: id,
      name: s.name,
      // Gaps of ten leave room to insert a stage between two without renumbering.
      sort: (i + 1) * 10,
      kind: s.kind,
      color: s.color ?? null,
      deadline_hours: s.deadlineHours ?? null,
    })),
  );
  return id;
}
