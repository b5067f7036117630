import { PHONE_TASK_TYPES, type Task, type TaskCreate, type TaskUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest, notFound } from "../errors.ts";
import { assertLinksVisible } from "../access/links.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { syncTaskReminder } from "./reminders.ts";
import {
  deleteTask,
  findTaskRowById,
  insertTask,
  lockTask,
  toTask,
  updateTaskColumns,
  type TaskColumns,
} from "./repo.ts";

const taskNotFound = () => notFound("task");

const pick = <T>(value: T | undefined, old: T): T => (value === undefined ? old : value);

/**
 * The task as it will be stored: the input laid over what is stored now (over an empty task on create).
 * Completing stamps `completed_at` once; any other status clears it, so reopening forgets the old stamp.
 */
export function mergeTask(base: TaskColumns, input: TaskUpdate, now: Knex.Raw): TaskColumns {
  const status = pick(input.status, base.status);
  const wasDone = base.status === "done" && base.completed_at !== null;
  return {
    type: pick(input.type, base.type),
    title: pick(input.title, base.title),
    description: pick(input.description, base.description),
    status,
    due_at: pick(input.dueAt, base.due_at),
    remind_at: pick(input.remindAt, base.remind_at),
    completed_at: status !== "done" ? null : wasDone ? base.completed_at : now,
    phone: pick(input.phone, base.phone),
    owner_id: pick(input.ownerId, base.owner_id),
    contact_id: pick(input.contactId, base.contact_id),
    company_id: pick(input.companyId, base.company_id),
    deal_id: pick(input.dealId, base.deal_id),
    lead_id: pick(input.leadId, base.lead_id),
  };
}

/**
 * Rules that span fields, checked on the merged task so that a PATCH of one field cannot break them
 * (moving `dueAt` before the stored `remindAt`, turning a task with no number into a call).
 */
export function taskProblems(t: TaskColumns): Record<string, string> {
  const fields: Record<string, string> = {};
  if (t.due_at !== null && t.remind_at !== null && new Date(t.remind_at) > new Date(t.due_at)) {
    fields["body.remindAt"] = "must not be after dueAt";
  }
  if (PHONE_TASK_TYPES.includes(t.type) && !t.phone) {
    fields["body.phone"] = `required for ${t.type} tasks`;
  }
  return fields;
}

function assertValid(t: TaskColumns): void {
  const fields = taskProblems(t);
  if (Object.keys(fields).length > 0) {
    throw badRequest(Object.values(fields).join("; "), fields);
  }
}

const EMPTY_TASK: TaskColumns = {
  type: "task",
  title: "",
  description: null,
  status: "open",
  due_at: null,
  remind_at: null,
  completed_at: null,
  phone: null,
  owner_id: "",
  contact_id: null,
  company_id: null,
  deal_id: null,
  lead_id: null,
};

export async function createTask(db: Knex, p: Principal, input: TaskCreate): Promise<Task> {
  const columns = mergeTask({ ...EMPTY_TASK, owner_id: p.userId }, input, db.fn.now());
  assertValid(columns);
  await assertCanAssign(db, p, "tasks", columns.owner_id);
  await assertLinksVisible(db, p, input);
  return db.transaction(async (trx) => {
    const id = await insertTask(trx, { ...columns, created_by: p.userId });
    await syncTaskReminder(trx, id, columns);
    await publishChange(trx, { entity: "tasks", id, action: "created", ownerIds: [columns.owner_id] });
    const task = toTask((await findTaskRowById(trx, id))!);
    await auditChange(trx, p, "tasks", null, task);
    return task;
  });
}

export async function getTask(db: Knex, p: Principal, id: string): Promise<Task> {
  await assertRecordInScope(db, p, "tasks", "tasks", id, taskNotFound());
  return toTask((await findTaskRowById(db, id))!);
}

export async function updateTask(db: Knex, p: Principal, id: string, input: TaskUpdate): Promise<Task> {
  await assertRecordInScope(db, p, "tasks", "tasks", id, taskNotFound());
  if (input.ownerId) {
    await assertCanAssign(db, p, "tasks", input.ownerId);
  }
  await assertLinksVisible(db, p, input);
  return db.transaction(async (trx) => {
    const before = await lockTask(trx, id);
    if (!before) {
      throw taskNotFound();
    }
    const after = mergeTask(before, input, trx.fn.now());
    assertValid(after);
    const old = toTask((await findTaskRowById(trx, id))!);
    await updateTaskColumns(trx, id, after);
    const timeOf = (v: string | Date | null) => (v === null ? null : new Date(v).getTime());
    if (timeOf(before.remind_at) !== timeOf(after.remind_at) || before.status !== after.status) {
      await syncTaskReminder(trx, id, after);
    }
    const ownerIds = [before.owner_id, after.owner_id];
    await publishChange(trx, { entity: "tasks", id, action: "updated", ownerIds });
    const task = toTask((await findTaskRowById(trx, id))!);
    await auditChange(trx, p, "tasks", old, task);
    return task;
  });
}

export async function removeTask(db: Knex, p: Principal, id: string): Promise<void> {
  await assertRecordInScope(db, p, "tasks", "tasks", id, taskNotFound());
  await db.transaction(async (trx) => {
    const row = await findTaskRowById(trx, id);
    const ownerId = await deleteTask(trx, id);
    await syncTaskReminder(trx, id, null);
    if (!row || ownerId === undefined) {
      throw taskNotFound();
    }
    await publishChange(trx, { entity: "tasks", id, action: "deleted", ownerIds: [ownerId] });
    await auditChange(trx, p, "tasks", toTask(row), null);
  });
}
