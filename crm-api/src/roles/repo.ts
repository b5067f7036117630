import { Permissions, RoleCode, type Role } from "@okno/contracts";
import type { Knex } from "knex";

interface RoleRow {
  code: string;
  name: string;
  permissions: unknown;
}

export function toRole(row: RoleRow): Role {
  return {
    code: RoleCode.parse(row.code),
    name: row.name,
    // Stored jsonb is parsed, not trusted: a hand-edited row fails loudly instead of granting by accident.
    permissions: Permissions.parse(row.permissions),
  };
}

/** The roles in the order of the brief (admin first), not alphabetically. */
export async function listRoles(db: Knex | Knex.Transaction): Promise<Role[]> {
  const rows = await db("roles").select<RoleRow[]>("code", "name", "permissions");
  const order = (code: string) => RoleCode.options.indexOf(code as RoleCode);
  return rows.sort((a, b) => order(a.code) - order(b.code)).map(toRole);
}

export async function findRole(db: Knex | Knex.Transaction, code: string): Promise<Role | undefined> {
  const row = await db("roles").where("code", code).first<RoleRow | undefined>("code", "name", "permissions");
  return row ? toRole(row) : undefined;
}

export async function updateRolePermissions(
  db: Knex | Knex.Transaction,
  code: RoleCode,
  permissions: Permissions,
): Promise<Role | undefined> {
  const [row] = await db("roles")
    .where("code", code)
    .update({ permissions: JSON.stringify(permissions), updated_at: db.fn.now() })
    .returning<RoleRow[]>(["code", "name", "permissions"]);
  return row ? toRole(row) : undefined;
}
