import type { Scope, ScopedEntity } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { forbidden } from "../errors.ts";

/** The principal's read scope for an entity. */
export function scopeOf(p: Principal, entity: ScopedEntity): Scope {
  return p.permissions.scopes[entity] ?? "none";
}

/**
 * Restricts a query to the records the principal may see, by the column that holds the responsible user.
 * Every list and lookup goes through this: scope lives in the repository queries, not only in the UI.
 */
export function whereInScope(
  q: Knex.QueryBuilder,
  db: Knex,
  p: Principal,
  entity: ScopedEntity,
  ownerColumn: string,
): Knex.QueryBuilder {
  const scope = scopeOf(p, entity);
  switch (scope) {
    case "all":
      return q;
    case "own":
      return q.where(ownerColumn, p.userId);
    case "department":
      return q.whereIn(ownerColumn, usersInSubtree(db, p.departmentPath));
    case "none":
      throw forbidden(`no access to ${entity}`);
  }
}

/** Ids of the users whose department is the given one or below it. */
export function usersInSubtree(db: Knex, departmentPath: string): Knex.QueryBuilder {
  return db("users as su")
    .join("departments as sd", "sd.id", "su.department_id")
    .where("sd.path", "like", `${departmentPath}%`)
    .select("su.id");
}

/** Whether a record with this responsible user (and that user's department path) is in scope. */
export function canSee(
  p: Principal,
  entity: ScopedEntity,
  owner: { userId: string; departmentPath: string | null },
): boolean {
  const scope = scopeOf(p, entity);
  switch (scope) {
    case "all":
      return true;
    case "own":
      return owner.userId === p.userId;
    case "department":
      return owner.departmentPath !== null && owner.departmentPath.startsWith(p.departmentPath);
    case "none":
      return false;
  }
}

/** Loads a record's responsible user and department path, for single-record checks. */
export async function ownerOf(
  db: Knex,
  table: string,
  id: string,
): Promise<{ userId: string; departmentPath: string | null } | null> {
  const row = await db(`${table} as t`)
    .join("users as u", "u.id", "t.owner_id")
    .join("departments as d", "d.id", "u.department_id")
    .where("t.id", id)
    .first<{ owner_id: string; path: string } | undefined>("t.owner_id", "d.path");
  return row ? { userId: row.owner_id, departmentPath: row.path } : null;
}

/**
 * 404 when the record does not exist, 403 when it exists outside the principal's scope. Used by every
 * single-record route (read, update, delete) before touching the record.
 */
export async function assertRecordInScope(
  db: Knex,
  p: Principal,
  entity: ScopedEntity,
  table: string,
  id: string,
  notFoundError: Error,
): Promise<void> {
  const owner = await ownerOf(db, table, id);
  if (!owner) {
    throw notFoundError;
  }
  if (!canSee(p, entity, owner)) {
    throw forbidden(`this record (${entity}) is outside your scope`);
  }
}

/**
 * Checks that the principal may make `ownerId` responsible for a record: within their own scope
 * (an agent cannot hand a record to someone else; a supervisor can, inside the department subtree).
 */
export async function assertCanAssign(
  db: Knex,
  p: Principal,
  entity: ScopedEntity,
  ownerId: string,
): Promise<void> {
  if (ownerId === p.userId) {
    return;
  }
  const row = await db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .where("u.id", ownerId)
    .andWhere("u.is_active", true)
    .first<{ path: string } | undefined>("d.path");
  if (!row) {
    throw forbidden("the responsible user does not exist or is inactive");
  }
  if (!canSee(p, entity, { userId: ownerId, departmentPath: row.path })) {
    throw forbidden("you may not make this user responsible");
  }
}
