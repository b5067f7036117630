import type { ScopedEntity } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import type { FieldError } from "./drafts.ts";
import { quote } from "./parseCells.ts";

export interface UserForOwner {
  id: string;
  login: string;
  fullName: string;
  departmentPath: string;
}

/** Active users: the people a «Ответственный» column may name (a company has tens or hundreds). */
export async function loadActiveUsers(db: Knex): Promise<UserForOwner[]> {
  const rows = await db("users as u")
    .join("departments as d", "d.id", "u.department_id")
    .where("u.is_active", true)
    .select<{ id: string; login: string; full_name: string; path: string }[]>(
      "u.id",
      "u.login",
      "u.full_name",
      "d.path",
    );
  return rows.map((r) => ({ id: r.id, login: r.login, fullName: r.full_name, departmentPath: r.path }));
}

const key = (s: string) => s.toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();

export type OwnerResolution = { ownerId: string | null } | { error: FieldError };

/**
 * Reads a «Ответственный» cell: a login or a full name («Петров Пётр Петрович»), ignoring case and ё.
 * The user must be one the importer may make responsible (assertCanAssign's rule: inside their scope).
 * An empty cell leaves the importer responsible.
 */
export function ownerResolver(
  users: UserForOwner[],
  p: Principal,
  entity: ScopedEntity,
): (text: string | null) => OwnerResolution {
  const byLogin = new Map(users.map((u) => [key(u.login), u]));
  const byName = new Map<string, UserForOwner[]>();
  for (const u of users) {
    byName.set(key(u.fullName), [...(byName.get(key(u.fullName)) ?? []), u]);
  }
  return (text) => {
    if (!text) {
      return { ownerId: null };
    }
    const named = byName.get(key(text)) ?? [];
    const user = byLogin.get(key(text)) ?? (named.length === 1 ? named[0] : undefined);
    if (named.length > 1 && !byLogin.has(key(text))) {
      return {
        error: { field: "owner", reason: `several users are called ${quote(text)}: write the login` },
      };
    }
    if (!user) {
      return { error: { field: "owner", reason: `no active user ${quote(text)}` } };
    }
    if (
      user.id !== p.userId &&
      !canSee(p, entity, { userId: user.id, departmentPath: user.departmentPath })
    ) {
      return { error: { field: "owner", reason: `you may not make ${quote(text)} responsible` } };
    }
    return { ownerId: user.id };
  };
}
