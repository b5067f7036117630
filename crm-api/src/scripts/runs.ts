import { CompanyUpdate, ContactUpdate, DealUpdate, LeadUpdate } from "@okno/contracts";
import {
  finalCaptures,
  replay,
  type Capture,
  type CaptureEntity,
  type ScriptRun,
  type ScriptRunInput,
} from "@okno/scripts-kb";
import type { Knex } from "knex";
import type { z } from "zod";
import { assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { updateCompany } from "../companies/service.ts";
import { updateContact } from "../contacts/service.ts";
import { iso } from "../cursor.ts";
import { updateDeal } from "../deals/service.ts";
import { badRequest, notFound } from "../errors.ts";
import { updateLead } from "../leads/service.ts";
import { getVersion } from "./service.ts";

const interactionNotFound = () => notFound("interaction");

/** Each capture entity: the interaction column naming its record, the update schema and the ordinary write. */
const WRITERS: Record<
  CaptureEntity,
  {
    column: string;
    schema: z.ZodType<object>;
    update: (db: Knex, p: Principal, id: string, body: never) => Promise<unknown>;
  }
> = {
  contact: { column: "contact_id", schema: ContactUpdate, update: updateContact },
  company: { column: "company_id", schema: CompanyUpdate, update: updateCompany },
  lead: { column: "lead_id", schema: LeadUpdate, update: updateLead },
  deal: { column: "deal_id", schema: DealUpdate, update: updateDeal },
};

/** One update body per record: standard fields at the top, custom fields under `fields`. */
function bodyOf(captures: Capture[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const c of captures) {
    if (c.field.startsWith("fields.")) {
      fields[c.field.slice("fields.".length)] = c.value;
    } else {
      body[c.field] = c.value;
    }
  }
  return Object.keys(fields).length > 0 ? { ...body, fields } : body;
}

/**
 * Writes the captured values through the ordinary update of each record (scope, custom-field validation,
 * audit, realtime), inside the caller's transaction. A value the record refuses is a 400 naming it.
 */
async function applyCaptures(
  trx: Knex.Transaction,
  p: Principal,
  interaction: Record<string, string | null>,
  captures: Capture[],
): Promise<ScriptRun["captures"]> {
  const applied: ScriptRun["captures"] = [];
  for (const entity of Object.keys(WRITERS) as CaptureEntity[]) {
    const mine = captures.filter((c) => c.entity === entity);
    if (mine.length === 0) {
      continue;
    }
    const writer = WRITERS[entity];
    const recordId = interaction[writer.column];
    if (!recordId) {
      throw badRequest(`the call has no ${entity} to write to`, {
        [`captures.${entity}`]: `the call has no ${entity}; ${mine.map((c) => c.nodeId).join(", ")} cannot be saved`,
      });
    }
    const parsed = writer.schema.safeParse(bodyOf(mine));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badRequest(`captured value refused: ${issue.message}`, {
        [`captures.${entity}.${issue.path.join(".")}`]: issue.message,
      });
    }
    await writer.update(trx, p, recordId, parsed.data as never);
    applied.push(
      ...mine.map((c) => ({ nodeId: c.nodeId, entity, recordId, field: c.field, value: c.value })),
    );
  }
  return applied;
}

interface RunRow {
  id: string;
  interaction_id: string;
  version_id: string;
  status: "waiting" | "ended";
  outcome: ScriptRun["outcome"];
  path: string[];
  answers: ScriptRun["answers"];
  captures: ScriptRun["captures"];
  created_by: string | null;
  created_at: Date;
  script_id: string;
  version: number;
}

const toRun = (r: RunRow): ScriptRun => ({
  id: r.id,
  interactionId: r.interaction_id,
  versionId: r.version_id,
  scriptId: r.script_id,
  version: r.version,
  status: r.status,
  outcome: r.outcome,
  path: r.path,
  answers: r.answers,
  captures: r.captures,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

const selectRuns = (db: Knex | Knex.Transaction) =>
  db("interaction_script_runs as r")
    .join("call_script_versions as v", "v.id", "r.version_id")
    .select<RunRow[]>("r.*", "v.script_id", "v.version")
    .orderBy([{ column: "r.created_at" }, { column: "r.id" }]);

/**
 * Saves what the agent did in a script during a call. The answers are replayed on the version that ran
 * (never trusting the desktop's path); the captures go to the call's records in the same transaction.
 */
export async function saveScriptRun(
  db: Knex,
  p: Principal,
  interactionId: string,
  input: ScriptRunInput,
): Promise<ScriptRun> {
  await assertRecordInScope(db, p, "interactions", "interactions", interactionId, interactionNotFound());
  const version = await getVersion(db, input.versionId);
  const state = replay(version.graph, input.answers);
  if (state.error) {
    throw badRequest(`answer ${state.answers.length} refused: ${state.error.message}`, {
      [`body.answers.${state.answers.length}`]: `${state.error.code}: ${state.error.message}`,
    });
  }
  if (JSON.stringify(state.path) !== JSON.stringify(input.path)) {
    throw badRequest("the path does not follow from the answers", {
      "body.path": `the answers lead through ${state.path.join(" → ")}`,
    });
  }
  return db.transaction(async (trx) => {
    const interaction = await trx("interactions")
      .where("id", interactionId)
      .forUpdate()
      .first<Record<string, string | null>>("contact_id", "company_id", "lead_id", "deal_id");
    const captures = await applyCaptures(trx, p, interaction, finalCaptures(state.captures));
    const [row] = await trx("interaction_script_runs")
      .insert({
        interaction_id: interactionId,
        version_id: version.id,
        status: state.status,
        outcome: state.outcome,
        path: JSON.stringify(state.path),
        answers: JSON.stringify(state.answers),
        captures: JSON.stringify(captures),
        created_by: p.userId,
      })
      .returning<{ id: string }[]>("id");
    const run = toRun((await selectRuns(trx).where("r.id", row!.id).first())!);
    await auditChange(trx, p, "interaction_script_runs", null, run);
    return run;
  });
}

export async function listScriptRuns(db: Knex, p: Principal, interactionId: string): Promise<ScriptRun[]> {
  await assertRecordInScope(db, p, "interactions", "interactions", interactionId, interactionNotFound());
  return (await selectRuns(db).where("r.interaction_id", interactionId)).map(toRun);
}
