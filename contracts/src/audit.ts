import { z } from "zod";
import { Id, PageQuery, page } from "./common.ts";

/** Where a change came from: ui (browser session), api (token), import, cti (the bridge), system (jobs). */
export const AuditVia = z.enum(["ui", "api", "import", "cti", "system"]);
export type AuditVia = z.infer<typeof AuditVia>;

export const AuditAction = z.enum(["create", "update", "delete", "merge", "view"]);
export type AuditAction = z.infer<typeof AuditAction>;

/** One field's values as the API showed them before and after the change (null when absent). */
export const AuditFieldChange = z.object({ before: z.unknown(), after: z.unknown() });

/** One audit record: who changed which record, when, from where, and which fields. */
export const AuditItem = z.object({
  id: z.string(),
  at: z.iso.datetime({ offset: true }),
  /** Null for changes made by the system, or when the user has since been deleted. */
  userId: Id.nullable(),
  userName: z.string().nullable(),
  via: AuditVia,
  /** Client address; shown to administrators only (null for everyone else). */
  ip: z.string().nullable(),
  /** The API collection of the record: "contacts", "deals", "users", "roles", … */
  entity: z.string(),
  /** The record's id (a role's code for roles). */
  recordId: z.string(),
  action: AuditAction,
  changes: z.record(z.string(), AuditFieldChange),
  /** Extra facts: merged record ids, import file and row, the lead a record was converted from. */
  meta: z.record(z.string(), z.unknown()),
});
export type AuditItem = z.infer<typeof AuditItem>;

export const AuditPage = page(AuditItem);

/** The administrators' journal: every filter optional, newest first. */
export const AuditListQuery = PageQuery.extend({
  entity: z
    .string()
    .regex(/^[a-z_]{1,40}$/, "an entity name such as contacts")
    .optional(),
  recordId: z.string().trim().min(1).max(100).optional(),
  userId: Id.optional(),
  via: AuditVia.optional(),
  action: AuditAction.optional(),
  /** Inclusive lower bound of `at`. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Exclusive upper bound of `at`. */
  to: z.iso.datetime({ offset: true }).optional(),
}).strict();
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** One record's history: newest first. */
export const AuditRecordQuery = PageQuery.strict();
