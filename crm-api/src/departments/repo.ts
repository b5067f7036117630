import type { Department } from "@okno/contracts";
import type { Knex } from "knex";

export interface DepartmentRow {
  id: string;
  name: string;
  parent_id: string | null;
  /** Materialised path of ids, "/<root>/<child>/": every descendant's path starts with it. */
  path: string;
}

const columns = ["id", "name", "parent_id", "path"];

export function toDepartment(row: DepartmentRow): Department {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    depth: row.path.split("/").filter(Boolean).length - 1,
  };
}

export function listDepartmentRows(db: Knex | Knex.Transaction): Promise<DepartmentRow[]> {
  return db("departments").select<DepartmentRow[]>(columns);
}

export function findDepartmentRow(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<DepartmentRow | undefined> {
  return db("departments").where("id", id).first<DepartmentRow | undefined>(columns);
}

/**
 * Serialises writers of the tree for the rest of the transaction: a path is computed from the parent's
 * path, so two concurrent moves (or a move and a create) could otherwise build a cycle or a stale path.
 * Readers and foreign-key checks from `users` are not blocked.
 */
export async function lockDepartments(trx: Knex.Transaction): Promise<void> {
  await trx.raw("lock table departments in share row exclusive mode");
}

/** Whether a sibling under `parentId` already has this name (case-insensitive). */
export async function isSiblingNameTaken(
  db: Knex | Knex.Transaction,
  parentId: string | null,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  const q = db("departments").whereRaw("lower(name) = lower(?)", [name]);
  void (parentId === null ? q.whereNull("parent_id") : q.where("parent_id", parentId));
  if (exceptId) {
    void q.whereNot("id", exceptId);
  }
  return (await q.first("id")) !== undefined;
}

export async function insertDepartment(trx: Knex.Transaction, row: DepartmentRow): Promise<void> {
  await trx("departments").insert(row);
}

export async function renameDepartment(trx: Knex.Transaction, id: string, name: string): Promise<void> {
  await trx("departments").where("id", id).update({ name, updated_at: trx.fn.now() });
}

/**
 * Moves a department with its whole subtree in one statement: every path that starts with `oldPath`
 * gets `newPath` instead of that prefix, and the moved department gets its new parent.
 */
export async function moveSubtree(
  trx: Knex.Transaction,
  move: { id: string; oldPath: string; newPath: string; newParentId: string },
): Promise<void> {
  await trx.raw(
    `update departments
        set path = ? || substr(path, ?),
            parent_id = case when id = ? then ?::uuid else parent_id end,
            updated_at = now()
      where path like ?`,
    [move.newPath, move.oldPath.length + 1, move.id, move.newParentId, `${move.oldPath}%`],
  );
}

/** How many sub-departments and users (active or not) hang on a department. */
export async function countDependents(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<{ children: number; users: number }> {
  const row = await db
    .select(
      db("departments").where("parent_id", id).count("*").as("children"),
      db("users").where("department_id", id).count("*").as("users"),
    )
    .first<{ children: number | string; users: number | string }>();
  return { children: Number(row.children), users: Number(row.users) };
}

export async function deleteDepartment(trx: Knex.Transaction, id: string): Promise<void> {
  await trx("departments").where("id", id).delete();
}
