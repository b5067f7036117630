import type { Pipeline, PipelineCreate } from "@okno/contracts";
import type { Knex } from "knex";
import { conflict } from "../errors.ts";
import { insertPipeline, listPipelines, pipelineNameTaken } from "./repo.ts";

/** Creates a pipeline with its stages at once; flagging it default takes the flag from the previous one. */
export async function createPipeline(db: Knex, input: PipelineCreate): Promise<Pipeline> {
  if (await pipelineNameTaken(db, input.name)) {
    throw conflict("a pipeline with this name already exists", { "body.name": "name is taken" });
  }
  return db.transaction(async (trx) => {
    const id = await insertPipeline(trx, input);
    const [pipeline] = await listPipelines(trx, [id]);
    return pipeline!;
  });
}
