import { z } from "zod";

/** The five roles of the customer's brief. Codes are stable; names are shown through i18n. */
export const RoleCode = z.enum(["admin", "supervisor", "manager", "agent", "marketer"]);
export type RoleCode = z.infer<typeof RoleCode>;

/**
 * How far a role sees records of one entity:
 * own = records where the user is responsible; department = the user's department and every department
 * below it; all = everything; none = nothing.
 */
export const Scope = z.enum(["none", "own", "department", "all"]);
export type Scope = z.infer<typeof Scope>;

/** Entities whose records carry a responsible user and are scoped. */
export const ScopedEntity = z.enum(["contacts", "companies", "leads", "deals", "tasks", "interactions"]);
export type ScopedEntity = z.infer<typeof ScopedEntity>;

export const Permissions = z.object({
  /** Read scope per entity; writing needs the record to be in scope too. */
  scopes: z.record(ScopedEntity, Scope),
  /** Manage users, departments, roles and settings. */
  canAdminister: z.boolean(),
  /**
   * Play call recordings of interactions in scope. Without it a user plays only calls they took. Roles
   * stored before it existed lack it: the role's default (DEFAULT_PERMISSIONS) applies.
   */
  canListenRecordings: z.boolean().optional(),
});
export type Permissions = z.infer<typeof Permissions>;

const scopes = (s: Scope, overrides: Partial<Record<ScopedEntity, Scope>> = {}) => ({
  contacts: s,
  companies: s,
  leads: s,
  deals: s,
  tasks: s,
  interactions: s,
  ...overrides,
});

/** The default permission matrix (docs/permissions.md); stored per role in the database, editable by admins. */
export const DEFAULT_PERMISSIONS: Record<RoleCode, Permissions> = {
  admin: { scopes: scopes("all"), canAdminister: true, canListenRecordings: true },
  supervisor: { scopes: scopes("department"), canAdminister: false, canListenRecordings: true },
  manager: { scopes: scopes("own"), canAdminister: false, canListenRecordings: false },
  agent: { scopes: scopes("own"), canAdminister: false, canListenRecordings: false },
  marketer: { scopes: scopes("all", { tasks: "own" }), canAdminister: false, canListenRecordings: false },
};

export const Role = z.object({
  code: RoleCode,
  name: z.string(),
  permissions: Permissions,
});
export type Role = z.infer<typeof Role>;

/** PATCH /roles/:code: replaces the role's whole permission set. */
export const RoleUpdate = z.strictObject({ permissions: Permissions });
export type RoleUpdate = z.infer<typeof RoleUpdate>;
