import { z } from "zod";
import { Id, PageQuery, Text, page } from "./common.ts";
import { PhoneInput } from "./phone.ts";
import { Permissions, RoleCode } from "./roles.ts";

export const LoginBody = z.strictObject({
  login: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** The signed-in user, as `/auth/me` and login return it. */
export const Me = z.object({
  id: Id,
  login: z.string(),
  fullName: z.string(),
  role: RoleCode,
  departmentId: Id,
  extension: z.string().nullable(),
  permissions: Permissions,
});
export type Me = z.infer<typeof Me>;

export const LoginResult = z.object({
  /** Bearer token for API clients; browsers use the httpOnly cookie set with the same value. */
  token: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
  user: Me,
});

export const ApiTokenCreate = z.strictObject({
  name: Text(100),
});

export const ApiToken = z.object({
  /** Shown once: only its hash is kept. */
  token: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});

/** SIP extension: digits, 2 to 8 of them, as PBX dialplans number agents. */
export const Extension = z.string().regex(/^\d{2,8}$/, "extension must be 2 to 8 digits");

/** What every signed-in user may see of a colleague: enough to pick a responsible user. */
export const UserSummary = z.object({
  id: Id,
  fullName: z.string(),
  departmentId: Id,
  role: RoleCode,
  extension: z.string().nullable(),
  isActive: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** A user as administrators see it: the summary plus login and contact details. */
export const User = UserSummary.extend({
  login: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type User = z.infer<typeof User>;

/** Administrators get `User`, everyone else `UserSummary`. */
export const UserListItem = z.union([User, UserSummary]);

/**
 * Login name: ASCII letters, digits and `. _ - @`, unique regardless of case. ASCII only, because
 * uniqueness is `lower(login)` in the database and people type logins on any keyboard layout.
 */
export const LoginName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{2,100}$/, "2 to 100 latin letters, digits, dots, dashes, underscores or @");

export const Password = z.string().min(8, "at least 8 characters").max(200);

const userFields = {
  fullName: Text(200),
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase())
    .nullable()
    .optional(),
  phone: PhoneInput.nullable().optional(),
  extension: Extension.nullable().optional(),
  departmentId: Id,
  role: RoleCode,
};

export const UserCreate = z.strictObject({ ...userFields, login: LoginName, password: Password });
export type UserCreate = z.infer<typeof UserCreate>;

/** PATCH: every field optional. A new password or `isActive: false` signs the user out everywhere. */
export const UserUpdate = z.strictObject({
  ...userFields,
  fullName: userFields.fullName.optional(),
  departmentId: Id.optional(),
  role: RoleCode.optional(),
  isActive: z.boolean().optional(),
  password: Password.optional(),
});
export type UserUpdate = z.infer<typeof UserUpdate>;

const QueryFlag = z.enum(["true", "false"]).transform((v) => v === "true");

export const UserListQuery = PageQuery.extend({
  departmentId: Id.optional(),
  /** With `departmentId`: include every department below it. */
  subtree: QueryFlag.default(false),
  role: RoleCode.optional(),
  active: QueryFlag.optional(),
  /** Words of the full name, or the start of an extension (administrators: also login and e-mail). */
  q: z.string().trim().min(1).max(100).optional(),
}).strict();

export const UserPage = page(UserListItem);
