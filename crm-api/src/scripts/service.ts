import { normalizePhone } from "@okno/contracts";
import {
  validateScript,
  type AssignmentInput,
  type ScriptCreate,
  type ScriptDetail,
  type ScriptGraph,
  type ScriptProblem,
  type ScriptSummary,
  type ScriptUpdate,
  type ScriptVersion,
} from "@okno/scripts-kb";
import type { Knex } from "knex";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest, notFound } from "../errors.ts";
import { canEditKb, requireKbEditor } from "../kb/access.ts";
import {
  findScriptRow,
  insertVersion,
  listSummaries,
  replaceAssignments,
  selectVersions,
  toVersion,
} from "./repo.ts";

const scriptNotFound = () => notFound("script");
const AUDIT_ENTITY = "call_scripts";
const TABLE_OF = { contact: "contacts", company: "companies", lead: "leads", deal: "deals" } as const;

/** Agents see scripts they can run (published, not archived); editors see all of them. */
export async function listScripts(db: Knex, p: Principal): Promise<ScriptSummary[]> {
  const all = await listSummaries(db);
  return canEditKb(p) ? all : all.filter((s) => s.latestVersion && !s.isArchived);
}

export async function getScript(
  db: Knex | Knex.Transaction,
  p: Principal,
  id: string,
): Promise<ScriptDetail> {
  requireKbEditor(p);
  const row = await findScriptRow(db, id);
  const [summary] = row ? await listSummaries(db, [id]) : [];
  if (!row || !summary) {
    throw scriptNotFound();
  }
  const validation = validateScript(row.draft);
  return { ...summary, draft: row.draft, problems: validation.ok ? [] : validation.problems };
}

export async function createScript(db: Knex, p: Principal, input: ScriptCreate): Promise<ScriptDetail> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    const [row] = await trx("call_scripts")
      .insert({
        name: input.name,
        description: input.description ?? null,
        draft: JSON.stringify(input.draft),
        created_by: p.userId,
      })
      .returning<{ id: string }[]>("id");
    const script = await getScript(trx, p, row!.id);
    await auditChange(trx, p, AUDIT_ENTITY, null, script);
    return script;
  });
}

export async function updateScript(
  db: Knex,
  p: Principal,
  id: string,
  input: ScriptUpdate,
): Promise<ScriptDetail> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    if (!(await findScriptRow(trx, id, true))) {
      throw scriptNotFound();
    }
    const before = await getScript(trx, p, id);
    await trx("call_scripts")
      .where("id", id)
      .update({
        name: input.name,
        description: input.description,
        draft: input.draft === undefined ? undefined : JSON.stringify(input.draft),
        is_archived: input.isArchived,
        updated_at: trx.fn.now(),
      });
    const after = await getScript(trx, p, id);
    await auditChange(trx, p, AUDIT_ENTITY, before, after);
    return after;
  });
}

/** What only the database knows: captured custom fields and linked articles must exist. */
async function referenceProblems(db: Knex.Transaction, graph: ScriptGraph): Promise<ScriptProblem[]> {
  const fields = await db("field_definitions").select<{ entity: string; key: string }[]>("entity", "key");
  const defined = new Set(fields.map((f) => `${f.entity}.${f.key}`));
  const articleIds = [...new Set(graph.nodes.flatMap((n) => n.articleIds ?? []))];
  const articles = new Set(
    articleIds.length ? ((await db("kb_articles").whereIn("id", articleIds).pluck("id")) as string[]) : [],
  );
  const problems: ScriptProblem[] = [];
  for (const node of graph.nodes) {
    if (node.type === "capture" && node.target.field.startsWith("fields.")) {
      const key = `${TABLE_OF[node.target.entity]}.${node.target.field.slice("fields.".length)}`;
      if (!defined.has(key)) {
        problems.push({ nodeId: node.id, reason: "unknown_field", message: `no custom field ${key}` });
      }
    }
    for (const articleId of node.articleIds ?? []) {
      if (!articles.has(articleId)) {
        problems.push({ nodeId: node.id, reason: "unknown_article", message: `no article ${articleId}` });
      }
    }
  }
  return problems;
}

const problemFields = (problems: ScriptProblem[]) =>
  Object.fromEntries(
    problems.map((x, i) => [
      `draft.${x.nodeId ?? "script"}${i > 0 ? `#${i}` : ""}`,
      `${x.reason}: ${x.message}`,
    ]),
  );

/**
 * Freezes the draft as the next version. Calls that already run an older version keep it; new calls get
 * this one. A draft with problems is refused with each node and reason.
 */
export async function publishScript(db: Knex, p: Principal, id: string): Promise<ScriptVersion> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    // The row lock serialises publishers, so version numbers never collide.
    const row = await findScriptRow(trx, id, true);
    if (!row) {
      throw scriptNotFound();
    }
    const validation = validateScript(row.draft);
    const problems = validation.ok ? await referenceProblems(trx, validation.script) : validation.problems;
    if (!validation.ok || problems.length > 0) {
      throw badRequest(
        `the script cannot be published: ${problems.map((x) => `${x.nodeId ?? "script"} ${x.reason}`).join(", ")}`,
        problemFields(problems),
      );
    }
    const versionId = await insertVersion(trx, id, validation.script, p.userId);
    const version = toVersion((await selectVersions(trx).where("v.id", versionId).first())!);
    await auditChange(trx, p, AUDIT_ENTITY, null, { id, publishedVersion: version.version }, { versionId });
    return version;
  });
}

async function normalizeAssignment(
  db: Knex.Transaction,
  a: AssignmentInput,
  i: number,
): Promise<AssignmentInput> {
  const where = `body.items.${i}.value`;
  switch (a.kind) {
    case "line": {
      const phone = normalizePhone(a.value);
      if (!phone) {
        throw badRequest("not a phone number", { [where]: "not a phone number" });
      }
      return { ...a, value: phone };
    }
    case "campaign":
    case "stage": {
      const table = a.kind === "campaign" ? "campaigns" : "stages";
      const isUuid = /^[0-9a-f-]{36}$/i.test(a.value);
      if (!isUuid || !(await db(table).where("id", a.value).first("id"))) {
        throw badRequest(`unknown ${a.kind}`, { [where]: `no such ${a.kind}` });
      }
      return a;
    }
    case "queue":
      return a;
  }
}

/** Replaces where the script applies. */
export async function setAssignments(
  db: Knex,
  p: Principal,
  id: string,
  items: AssignmentInput[],
): Promise<ScriptSummary> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    if (!(await findScriptRow(trx, id, true))) {
      throw scriptNotFound();
    }
    const normalized: AssignmentInput[] = [];
    for (const [i, a] of items.entries()) {
      const n = await normalizeAssignment(trx, a, i);
      if (normalized.some((x) => x.kind === n.kind && x.value === n.value)) {
        throw badRequest("the same assignment twice", { [`body.items.${i}`]: "listed twice" });
      }
      normalized.push(n);
    }
    const [before] = await listSummaries(trx, [id]);
    await replaceAssignments(trx, id, normalized);
    const [after] = await listSummaries(trx, [id]);
    await auditChange(trx, p, AUDIT_ENTITY, before!, after!);
    return after!;
  });
}

/** A published version, for the call screen (any signed-in user: agents switch scripts during calls). */
export async function getVersion(db: Knex, versionId: string): Promise<ScriptVersion> {
  const row = await selectVersions(db).where("v.id", versionId).first();
  if (!row) {
    throw notFound("script version");
  }
  return toVersion(row);
}
