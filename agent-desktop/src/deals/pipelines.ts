import { PipelineList, type Pipeline, type Stage } from "@okno/contracts";
import { api } from "../api.ts";

let cached: Promise<Pipeline[]> | undefined;

/** Pipelines change rarely (admin screens): one request per page load, retried after a failure. */
export function loadPipelines(): Promise<Pipeline[]> {
  cached ??= api("GET", "/pipelines", { schema: PipelineList, quiet: true })
    .then((list) => list.items)
    .catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
  return cached;
}

export interface StageInfo {
  stage: Stage;
  pipeline: Pipeline;
}

export function findStage(pipelines: readonly Pipeline[], stageId: string): StageInfo | undefined {
  for (const pipeline of pipelines) {
    const stage = pipeline.stages.find((s) => s.id === stageId);
    if (stage) {
      return { stage, pipeline };
    }
  }
  return undefined;
}
