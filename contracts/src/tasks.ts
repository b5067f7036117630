import { z } from "zod";
import { Id, PageQuery, Text, page } from "./common.ts";
import { PhoneInput } from "./phone.ts";

/** `call` is an outgoing call to make; `callback` answers a client who asked to be called back. */
export const TaskType = z.enum(["task", "call", "callback", "meeting"]);
export type TaskType = z.infer<typeof TaskType>;

/** Task types that are about dialling a number, so they need one. */
export const PHONE_TASK_TYPES: readonly TaskType[] = ["call", "callback"];

/**
 * ```
 *  open ──► done ──► open (reopened: completedAt cleared)
 *    │                 ▲
 *    └──► cancelled ───┘
 * ```
 */
export const TaskStatus = z.enum(["open", "done", "cancelled"]);
export type TaskStatus = z.infer<typeof TaskStatus>;

const Instant = z.iso.datetime({ offset: true });

const taskFields = {
  type: TaskType.default("task"),
  title: Text(500),
  description: z.string().max(10_000).nullable().optional(),
  status: TaskStatus.default("open"),
  dueAt: Instant.nullable().optional(),
  /** When to remind the responsible user; never after `dueAt`. */
  remindAt: Instant.nullable().optional(),
  /** Number to dial, normalised to E.164; required for `call` and `callback` tasks. */
  phone: PhoneInput.nullable().optional(),
  /** Responsible user; defaults to the creator. */
  ownerId: Id.optional(),
  contactId: Id.nullable().optional(),
  companyId: Id.nullable().optional(),
  dealId: Id.nullable().optional(),
  leadId: Id.nullable().optional(),
};

export const TaskCreate = z.strictObject(taskFields);
export type TaskCreate = z.infer<typeof TaskCreate>;
/** What a client sends (before defaults and normalisation). */
export type TaskCreateInput = z.input<typeof TaskCreate>;

/** PATCH: every field optional; `null` clears a field. `status: "done"` completes, `"open"` reopens. */
export const TaskUpdate = z.strictObject({
  ...taskFields,
  type: TaskType.optional(),
  title: Text(500).optional(),
  status: TaskStatus.optional(),
});
export type TaskUpdate = z.infer<typeof TaskUpdate>;

export const Task = z.object({
  id: Id,
  type: TaskType,
  title: z.string(),
  description: z.string().nullable(),
  status: TaskStatus,
  dueAt: Instant.nullable(),
  remindAt: Instant.nullable(),
  /** Set when the task becomes `done`, cleared when it is reopened or cancelled. */
  completedAt: Instant.nullable(),
  /** Open and past its due time. */
  isOverdue: z.boolean(),
  phone: z.string().nullable(),
  ownerId: Id,
  ownerName: z.string(),
  contactId: Id.nullable(),
  companyId: Id.nullable(),
  dealId: Id.nullable(),
  leadId: Id.nullable(),
  createdBy: Id.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Task = z.infer<typeof Task>;

/** `dueAt` puts tasks without a due time last in both directions. */
export const TaskSort = z.enum(["dueAt", "-dueAt", "createdAt", "-createdAt"]);
export type TaskSort = z.infer<typeof TaskSort>;

export const TaskListQuery = PageQuery.extend({
  ownerId: Id.optional(),
  status: TaskStatus.optional(),
  type: TaskType.optional(),
  contactId: Id.optional(),
  companyId: Id.optional(),
  dealId: Id.optional(),
  leadId: Id.optional(),
  /** Due at or after this instant. */
  dueFrom: Instant.optional(),
  /** Due before this instant. */
  dueTo: Instant.optional(),
  /** `true`: only open tasks due before now; `false`: everything else. */
  overdue: z.stringbool().optional(),
  sort: TaskSort.default("dueAt"),
}).strict();
export type TaskListQuery = z.infer<typeof TaskListQuery>;

export const TaskPage = page(Task);
