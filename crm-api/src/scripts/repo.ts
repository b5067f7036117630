import type {
  Assignment,
  AssignmentInput,
  ScriptGraph,
  ScriptSummary,
  ScriptVersion,
} from "@okno/scripts-kb";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";

type Db = Knex | Knex.Transaction;

export interface ScriptRow {
  id: string;
  name: string;
  description: string | null;
  draft: Record<string, unknown>;
  is_archived: boolean;
  updated_at: Date;
}

export interface VersionRow {
  id: string;
  script_id: string;
  name: string;
  version: number;
  graph: ScriptGraph;
  published_by: string | null;
  published_at: Date;
}

export const toVersion = (row: VersionRow): ScriptVersion => ({
  id: row.id,
  scriptId: row.script_id,
  name: row.name,
  version: row.version,
  graph: row.graph,
  publishedAt: iso(row.published_at),
  publishedBy: row.published_by,
});

/** Versions with their script's name; `latest` keeps only the newest version of each script. */
export function selectVersions(db: Db, latest = false) {
  const q = db("call_script_versions as v")
    .join("call_scripts as s", "s.id", "v.script_id")
    .select<VersionRow[]>(
      "v.id",
      "v.script_id",
      "s.name",
      "v.version",
      "v.graph",
      "v.published_by",
      "v.published_at",
    );
  return latest
    ? q.whereRaw(
        "v.version = (select max(version) from call_script_versions w where w.script_id = v.script_id)",
      )
    : q;
}

export async function findScriptRow(db: Db, id: string, lock = false): Promise<ScriptRow | undefined> {
  const q = db("call_scripts").where("id", id);
  return (lock ? q.forUpdate() : q).first<ScriptRow | undefined>(
    "id",
    "name",
    "description",
    "draft",
    "is_archived",
    "updated_at",
  );
}

/** Summaries of the given scripts (or all), with their newest version and assignments, by name. */
export async function listSummaries(db: Db, ids?: string[]): Promise<ScriptSummary[]> {
  const q = db("call_scripts").orderBy([{ column: "name" }, { column: "id" }]);
  if (ids) {
    q.whereIn("id", ids);
  }
  const rows = await q.select<ScriptRow[]>("id", "name", "description", "is_archived", "updated_at");
  const scriptIds = rows.map((r) => r.id);
  const versions = await selectVersions(db, true).whereIn("v.script_id", scriptIds);
  const assignments = await db("script_assignments")
    .whereIn("script_id", scriptIds)
    .orderBy([{ column: "kind" }, { column: "value" }])
    .select<(Assignment & { script_id: string })[]>("script_id", "kind", "value", "priority");
  return rows.map((r) => {
    const v = versions.find((x) => x.script_id === r.id);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      isArchived: r.is_archived,
      latestVersion: v ? { id: v.id, version: v.version, publishedAt: iso(v.published_at) } : null,
      assignments: assignments
        .filter((a) => a.script_id === r.id)
        .map((a) => ({ kind: a.kind, value: a.value, priority: a.priority })),
      updatedAt: iso(r.updated_at),
    };
  });
}

export async function insertVersion(
  db: Knex.Transaction,
  scriptId: string,
  graph: ScriptGraph,
  publishedBy: string,
): Promise<string> {
  const [row] = await db("call_script_versions")
    .insert({
      script_id: scriptId,
      graph: JSON.stringify(graph),
      published_by: publishedBy,
      version: db.raw(
        "(select coalesce(max(version), 0) + 1 from call_script_versions where script_id = ?)",
        [scriptId],
      ),
    })
    .returning<{ id: string }[]>("id");
  return row!.id;
}

export async function replaceAssignments(db: Knex.Transaction, scriptId: string, items: AssignmentInput[]) {
  await db("script_assignments").where("script_id", scriptId).delete();
  if (items.length > 0) {
    await db("script_assignments").insert(items.map((a) => ({ script_id: scriptId, ...a })));
  }
}
