import { Permissions, RoleCode } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "./principal.ts";

interface PrincipalRow {
  user_id: string;
  login: string;
  full_name: string;
  role_code: string;
  department_id: string;
  department_path: string;
  extension: string | null;
  permissions: unknown;
  kind: "session" | "api";
}

const principalColumns = [
  "u.id as user_id",
  "u.login",
  "u.full_name",
  "u.role_code",
  "u.department_id",
  "d.path as department_path",
  "u.extension",
  "r.permissions",
];

function toPrincipal(row: PrincipalRow): Principal {
  return {
    userId: row.user_id,
    login: row.login,
    fullName: row.full_name,
    role: RoleCode.parse(row.role_code),
    departmentId: row.department_id,
    departmentPath: row.department_path,
    extension: row.extension,
    permissions: Permissions.parse(row.permissions),
    via: row.kind,
  };
}

/** The principal behind a live session or API token of an active user, or null. */
export async function findPrincipalByToken(db: Knex, tokenHash: string): Promise<Principal | null> {
  const row = await db("sessions as s")
    .join("users as u", "u.id", "s.user_id")
    .join("departments as d", "d.id", "u.department_id")
    .join("roles as r", "r.code", "u.role_code")
    .where("s.token_hash", tokenHash)
    .andWhere("u.is_active", true)
    .andWhere((q) => {
      void q.whereNull("s.expires_at").orWhere("s.expires_at", ">", db.fn.now());
    })
    .first<PrincipalRow | undefined>([...principalColumns, "s.kind"]);
  return row ? toPrincipal(row) : null;
}

export async function findPrincipalByUserId(db: Knex, userId: string): Promise<Principal | null> {
  const row = await db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .join("roles as r", "r.code", "u.role_code")
    .where("u.id", userId)
    .first<PrincipalRow | undefined>([...principalColumns, db.raw("'session' as kind")]);
  return row ? toPrincipal(row) : null;
}

export function findUserForLogin(
  db: Knex,
  login: string,
): Promise<{ id: string; password_hash: string; is_active: boolean } | undefined> {
  return db("users").whereRaw("lower(login) = lower(?)", [login]).first("id", "password_hash", "is_active");
}

export async function insertSession(
  db: Knex,
  s: {
    tokenHash: string;
    userId: string;
    kind: "session" | "api";
    name?: string;
    ip?: string;
    userAgent?: string;
    expiresAt: Date | null;
  },
): Promise<void> {
  await db("sessions").insert({
    token_hash: s.tokenHash,
    user_id: s.userId,
    kind: s.kind,
    name: s.name ?? null,
    ip: s.ip ?? null,
    user_agent: s.userAgent?.slice(0, 300) ?? null,
    expires_at: s.expiresAt,
  });
}

export async function deleteSession(db: Knex, tokenHash: string): Promise<void> {
  await db("sessions").where("token_hash", tokenHash).delete();
}

export function listUserTokenHashes(db: Knex, userId: string): Promise<string[]> {
  return db("sessions").where("user_id", userId).pluck("token_hash");
}
