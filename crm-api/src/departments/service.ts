import type { Department, DepartmentCreate, DepartmentUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { notifyAuthChange } from "../auth/service.ts";
import { EVICT_ALL } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import {
  countDependents,
  deleteDepartment,
  findDepartmentRow,
  insertDepartment,
  isSiblingNameTaken,
  listDepartmentRows,
  lockDepartments,
  moveSubtree,
  renameDepartment,
  toDepartment,
  type DepartmentRow,
} from "./repo.ts";

const departmentNotFound = () => notFound("department");

/** Depth-first order with siblings by name, as a tree control shows them. */
export function orderAsTree(rows: DepartmentRow[]): Department[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, DepartmentRow[]>();
  for (const row of rows) {
    const parent = row.parent_id !== null && ids.has(row.parent_id) ? row.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const out: Department[] = [];
  const visit = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, "ru"));
    for (const row of list) {
      out.push(toDepartment(row));
      visit(row.id);
    }
  };
  visit(null);
  return out;
}

export async function listDepartments(db: Knex): Promise<Department[]> {
  return orderAsTree(await listDepartmentRows(db));
}

async function loadParent(trx: Knex.Transaction, parentId: string): Promise<DepartmentRow> {
  const parent = await findDepartmentRow(trx, parentId);
  if (!parent) {
    throw badRequest("the parent department does not exist", {
      "body.parentId": "no such department",
    });
  }
  return parent;
}

async function assertNameFree(
  trx: Knex.Transaction,
  parentId: string | null,
  name: string,
  exceptId?: string,
): Promise<void> {
  if (await isSiblingNameTaken(trx, parentId, name, exceptId)) {
    throw conflict(`a department named "${name}" already exists there`, {
      "body.name": "taken by a sibling department",
    });
  }
}

export async function createDepartment(db: Knex, p: Principal, input: DepartmentCreate): Promise<Department> {
  return db.transaction(async (trx) => {
    await lockDepartments(trx);
    const parent = await loadParent(trx, input.parentId);
    await assertNameFree(trx, parent.id, input.name);
    const id = crypto.randomUUID();
    const row = { id, name: input.name, parent_id: parent.id, path: `${parent.path}${id}/` };
    await insertDepartment(trx, row);
    await auditChange(trx, p, "departments", null, toDepartment(row));
    return toDepartment(row);
  });
}

/** Renames and/or moves a department; a move carries its whole subtree and re-reads every cached principal. */
export async function updateDepartment(
  ctx: AppContext,
  p: Principal,
  id: string,
  input: DepartmentUpdate,
): Promise<Department> {
  const { department, moved } = await ctx.db.knex.transaction(async (trx) => {
    await lockDepartments(trx);
    const current = await findDepartmentRow(trx, id);
    if (!current) {
      throw departmentNotFound();
    }
    let parentId = current.parent_id;
    let path = current.path;
    if (input.parentId !== undefined && input.parentId !== current.parent_id) {
      const parent = await loadParent(trx, input.parentId);
      // The parent's path starts with ours exactly when it is this department or lies below it.
      if (parent.path.startsWith(current.path)) {
        throw badRequest("a department cannot be moved under itself or its own sub-department", {
          "body.parentId": "is this department or one of its sub-departments",
        });
      }
      parentId = parent.id;
      path = `${parent.path}${id}/`;
    }
    const name = input.name ?? current.name;
    await assertNameFree(trx, parentId, name, id);
    if (name !== current.name) {
      await renameDepartment(trx, id, name);
    }
    if (parentId !== null && path !== current.path) {
      await moveSubtree(trx, { id, oldPath: current.path, newPath: path, newParentId: parentId });
    }
    const department = toDepartment({ id, name, parent_id: parentId, path });
    await auditChange(trx, p, "departments", toDepartment(current), department);
    return { department, moved: path !== current.path };
  });
  if (moved) {
    // Cached principals carry their department's path, and scopes of supervisors follow the tree.
    await notifyAuthChange(ctx, EVICT_ALL);
  }
  return department;
}

export async function removeDepartment(db: Knex, p: Principal, id: string): Promise<void> {
  await db.transaction(async (trx) => {
    await lockDepartments(trx);
    const current = await findDepartmentRow(trx, id);
    if (!current) {
      throw departmentNotFound();
    }
    const { children, users } = await countDependents(trx, id);
    if (children > 0) {
      throw conflict("the department has sub-departments: move or delete them first");
    }
    if (users > 0) {
      throw conflict("the department has users (active or not): move them to another department first");
    }
    await deleteDepartment(trx, id);
    await auditChange(trx, p, "departments", toDepartment(current), null);
  });
}
