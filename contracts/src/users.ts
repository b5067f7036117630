import { z } from "zod";
import { Id, Text } from "./common.ts";
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

export const User = z.object({
  id: Id,
  login: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  extension: z.string().nullable(),
  departmentId: Id,
  role: RoleCode,
  isActive: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type User = z.infer<typeof User>;
