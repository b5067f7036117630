import { DEFAULT_PERMISSIONS, RoleCode } from "@okno/contracts";
import type { Knex } from "knex";

/** Russian names of the five roles, as the customer's brief calls them. */
export const ROLE_NAMES: Record<RoleCode, string> = {
  admin: "Администратор",
  supervisor: "Руководитель",
  manager: "Менеджер по продажам",
  agent: "Оператор колл-центра",
  marketer: "Маркетолог",
};

/** Inserts the five roles with the default permission matrix; leaves roles an admin already edited alone. */
export async function ensureRoles(db: Knex): Promise<void> {
  const rows = RoleCode.options.map((code) => ({
    code,
    name: ROLE_NAMES[code],
    permissions: JSON.stringify(DEFAULT_PERMISSIONS[code]),
  }));
  await db("roles").insert(rows).onConflict("code").ignore();
}
