import type { RoleCode, User, UserCreate, UserSummary, UserUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { escapeLike } from "../listing.ts";
import { iso } from "../cursor.ts";

export interface UserRow {
  id: string;
  login: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  extension: string | null;
  department_id: string;
  role_code: RoleCode;
  is_active: boolean;
  created_at: Date;
}

const columns = [
  "id",
  "login",
  "full_name",
  "email",
  "phone",
  "extension",
  "department_id",
  "role_code",
  "is_active",
  "created_at",
];

export function selectUsers(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("users as u").select(columns.map((c) => `u.${c}`));
}

export function toUserSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    fullName: row.full_name,
    departmentId: row.department_id,
    role: row.role_code,
    extension: row.extension,
    isActive: row.is_active,
  };
}

export function toUser(row: UserRow): User {
  return {
    ...toUserSummary(row),
    login: row.login,
    email: row.email,
    phone: row.phone,
    createdAt: iso(row.created_at),
  };
}

export function findUserRowById(db: Knex | Knex.Transaction, id: string): Promise<UserRow | undefined> {
  return selectUsers(db).where("u.id", id).first();
}

export interface UserFilters {
  departmentId?: string | undefined;
  subtree: boolean;
  role?: RoleCode | undefined;
  active?: boolean | undefined;
  q?: string | undefined;
}

/**
 * Applies list filters. Free text matches every word in the full name or an extension prefix;
 * `withPrivate` (administrators) also matches login and e-mail, which others never see.
 */
export function whereUsersMatch(
  q: Knex.QueryBuilder,
  db: Knex,
  f: UserFilters,
  withPrivate: boolean,
): Knex.QueryBuilder {
  if (f.departmentId && f.subtree) {
    q.whereIn(
      "u.department_id",
      db("departments as fd")
        .whereRaw("fd.path like (select path from departments where id = ?) || '%'", [f.departmentId])
        .select("fd.id"),
    );
  } else if (f.departmentId) {
    q.where("u.department_id", f.departmentId);
  }
  if (f.role) {
    q.where("u.role_code", f.role);
  }
  if (f.active !== undefined) {
    q.where("u.is_active", f.active);
  }
  if (f.q) {
    const text = f.q;
    q.where((w) => {
      void w.where((names) => {
        for (const word of text.toLowerCase().split(/\s+/).slice(0, 5)) {
          void names.whereRaw("lower(u.full_name) like ?", [`%${escapeLike(word)}%`]);
        }
      });
      void w.orWhere("u.extension", "like", `${escapeLike(text)}%`);
      if (withPrivate) {
        void w.orWhereRaw("lower(u.login) like ?", [`%${escapeLike(text.toLowerCase())}%`]);
        void w.orWhereRaw("u.email like ?", [`%${escapeLike(text.toLowerCase())}%`]);
      }
    });
  }
  return q;
}

export async function findUserIdByLogin(
  db: Knex | Knex.Transaction,
  login: string,
): Promise<string | undefined> {
  const row = await db("users")
    .whereRaw("lower(login) = lower(?)", [login])
    .first<{ id: string } | undefined>("id");
  return row?.id;
}

export async function findUserIdByExtension(
  db: Knex | Knex.Transaction,
  extension: string,
): Promise<string | undefined> {
  const row = await db("users").where("extension", extension).first<{ id: string } | undefined>("id");
  return row?.id;
}

type UserColumns = Omit<UserUpdate, "password">;

function toColumns(input: UserColumns): Record<string, unknown> {
  const map: Record<string, unknown> = {
    full_name: input.fullName,
    email: input.email,
    phone: input.phone,
    extension: input.extension,
    department_id: input.departmentId,
    role_code: input.role,
    is_active: input.isActive,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function insertUser(
  db: Knex | Knex.Transaction,
  input: Omit<UserCreate, "password"> & { passwordHash: string },
): Promise<UserRow> {
  const [row] = await db("users")
    .insert({ ...toColumns(input), login: input.login, password_hash: input.passwordHash })
    .returning<UserRow[]>(columns);
  return row!;
}

export async function updateUserColumns(
  db: Knex.Transaction,
  id: string,
  input: UserColumns & { passwordHash?: string },
): Promise<void> {
  const columns = toColumns(input);
  if (input.passwordHash) {
    columns.password_hash = input.passwordHash;
  }
  await db("users")
    .where("id", id)
    .update({ ...columns, updated_at: db.fn.now() });
}

/** Ends the user's browser sessions and API tokens, except the one making this request. */
export async function deleteUserSessions(
  db: Knex.Transaction,
  userId: string,
  keepTokenHash?: string,
): Promise<void> {
  const q = db("sessions").where("user_id", userId);
  if (keepTokenHash) {
    void q.whereNot("token_hash", keepTokenHash);
  }
  await q.delete();
}
