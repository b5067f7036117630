import type { Role, User, UserCreate, UserUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { auditChange } from "../audit/recordAudit.ts";
import { hashPassword } from "../auth/passwords.ts";
import type { Principal } from "../auth/principal.ts";
import { notifyAuthChange } from "../auth/service.ts";
import type { AppContext } from "../context.ts";
import { findDepartmentRow } from "../departments/repo.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { findRole } from "../roles/repo.ts";
import {
  deleteUserSessions,
  findUserIdByExtension,
  findUserIdByLogin,
  findUserRowById,
  insertUser,
  toUser,
  updateUserColumns,
} from "./repo.ts";

const userNotFound = () => notFound("user");

async function assertLoginFree(db: Knex, login: string): Promise<void> {
  if (await findUserIdByLogin(db, login)) {
    throw conflict(`login "${login}" is already taken`, { "body.login": "already taken" });
  }
}

/** An extension identifies the agent in PBX events, so two users can never share one. */
async function assertExtensionFree(db: Knex, extension: string, exceptUserId?: string): Promise<void> {
  const owner = await findUserIdByExtension(db, extension);
  if (owner && owner !== exceptUserId) {
    throw conflict(`extension ${extension} belongs to another user`, {
      "body.extension": `belongs to user ${owner}`,
    });
  }
}

async function assertDepartmentExists(db: Knex, id: string): Promise<void> {
  if (!(await findDepartmentRow(db, id))) {
    throw badRequest("the department does not exist", { "body.departmentId": "no such department" });
  }
}

async function loadRole(db: Knex, code: string): Promise<Role> {
  const role = await findRole(db, code);
  if (!role) {
    throw badRequest("the role does not exist", { "body.role": "no such role" });
  }
  return role;
}

/** Admins must not lock themselves out: someone has to be left who can undo a mistake. */
async function assertNoSelfLockout(db: Knex, input: UserUpdate): Promise<void> {
  if (input.isActive === false) {
    throw badRequest("you cannot deactivate yourself", { "body.isActive": "cannot deactivate yourself" });
  }
  if (input.role && !(await loadRole(db, input.role)).permissions.canAdminister) {
    throw badRequest("you cannot take administrator rights away from yourself", {
      "body.role": "would remove your own administrator rights",
    });
  }
}

// The audit shows that a password changed, never the password or its hash.
const passwordMark = (changed: boolean, mark: string) => (changed ? { password: mark } : {});

export async function createUser(db: Knex, actor: Principal, input: UserCreate): Promise<User> {
  await assertLoginFree(db, input.login);
  if (input.extension) {
    await assertExtensionFree(db, input.extension);
  }
  await assertDepartmentExists(db, input.departmentId);
  await loadRole(db, input.role);
  const { password, ...fields } = input;
  const passwordHash = await hashPassword(password);
  // A concurrent duplicate still meets the unique indexes and gets a 409 from the error handler.
  return db.transaction(async (trx) => {
    const user = toUser(await insertUser(trx, { ...fields, passwordHash }));
    await auditChange(trx, actor, "users", null, user);
    return user;
  });
}

/** Fields that cached principals carry or that decide whether a session is valid. */
const principalFields = ["role", "departmentId", "isActive", "password", "extension", "fullName"] as const;

/**
 * Updates a user. A new password or deactivation ends the user's sessions and API tokens (an admin
 * changing their own password keeps the session they are using); any change to what a principal
 * carries is announced to every instance so cached sessions are re-read.
 */
export async function updateUser(
  ctx: AppContext,
  actor: Principal,
  id: string,
  input: UserUpdate,
  actorTokenHash: string | undefined,
): Promise<User> {
  const db = ctx.db.knex;
  if (!(await findUserRowById(db, id))) {
    throw userNotFound();
  }
  const isSelf = id === actor.userId;
  if (isSelf) {
    await assertNoSelfLockout(db, input);
  }
  if (input.extension) {
    await assertExtensionFree(db, input.extension, id);
  }
  if (input.departmentId) {
    await assertDepartmentExists(db, input.departmentId);
  }
  if (input.role) {
    await loadRole(db, input.role);
  }
  const { password, ...fields } = input;
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  const user = await db.transaction(async (trx) => {
    const before = toUser((await findUserRowById(trx, id))!);
    await updateUserColumns(trx, id, { ...fields, ...(passwordHash ? { passwordHash } : {}) });
    if (passwordHash || input.isActive === false) {
      await deleteUserSessions(trx, id, isSelf ? actorTokenHash : undefined);
    }
    const after = toUser((await findUserRowById(trx, id))!);
    await auditChange(
      trx,
      actor,
      "users",
      { ...before, ...passwordMark(!!passwordHash, "[hidden]") },
      { ...after, ...passwordMark(!!passwordHash, "[changed]") },
    );
    return after;
  });
  if (principalFields.some((f) => input[f] !== undefined)) {
    await notifyAuthChange(ctx, `user:${id}`);
  }
  return user;
}
