import type { Task, TaskListQuery, TaskSort, TaskStatus, TaskType } from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";
import { timeSort, type SortKey } from "../listing.ts";

export interface TaskRow {
  id: string;
  type: TaskType;
  title: string;
  description: string | null;
  status: TaskStatus;
  due_at: Date | null;
  remind_at: Date | null;
  completed_at: Date | null;
  is_overdue: boolean;
  phone: string | null;
  owner_id: string;
  owner_name: string;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  lead_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The columns a write sets; the service has already merged and checked them. */
export interface TaskColumns {
  type: TaskType;
  title: string;
  description: string | null;
  status: TaskStatus;
  due_at: string | Date | null;
  remind_at: string | Date | null;
  /** `now()` of the writing transaction when a task is completed. */
  completed_at: string | Date | Knex.Raw | null;
  phone: string | null;
  owner_id: string;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  lead_id: string | null;
}

/** Overdue means the same thing in the filter and in `isOverdue`: open and due before now. */
const OVERDUE = "(t.status = 'open' and t.due_at < now())";
/** The same, false rather than NULL for a task without a due time. */
const IS_OVERDUE = `coalesce(${OVERDUE}, false)`;

export function selectTasks(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("tasks as t")
    .join("users as o", "o.id", "t.owner_id")
    .select("t.*", "o.full_name as owner_name", db.raw(`${IS_OVERDUE} as is_overdue`));
}

export function toTask(row: TaskRow): Task {
  const at = (d: Date | null) => (d ? iso(d) : null);
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    description: row.description,
    status: row.status,
    dueAt: at(row.due_at),
    remindAt: at(row.remind_at),
    completedAt: at(row.completed_at),
    isOverdue: row.is_overdue,
    phone: row.phone,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    contactId: row.contact_id,
    companyId: row.company_id,
    dealId: row.deal_id,
    leadId: row.lead_id,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Sorting by due time puts tasks without one last in either direction. NULL cannot take part in the
 * keyset comparison `(key, id) > (?, ?)`, so the key maps NULL to ±infinity, which PostgreSQL
 * orders and compares like any other timestamp.
 */
export function taskSort(sort: TaskSort): SortKey<TaskRow> {
  const desc = sort.startsWith("-");
  if (sort === "dueAt" || sort === "-dueAt") {
    const none = desc ? "-infinity" : "infinity";
    return {
      expr: `coalesce(t.due_at, '${none}'::timestamptz)`,
      desc,
      value: (r) => (r.due_at ? iso(r.due_at) : none),
    };
  }
  return timeSort<TaskRow>("t", "createdAt", desc);
}

/** Applies the list filters other than scope, paging and sort. */
export function whereTaskFilters(q: Knex.QueryBuilder, f: TaskListQuery): Knex.QueryBuilder {
  const equal: [keyof TaskListQuery, string][] = [
    ["ownerId", "t.owner_id"],
    ["status", "t.status"],
    ["type", "t.type"],
    ["contactId", "t.contact_id"],
    ["companyId", "t.company_id"],
    ["dealId", "t.deal_id"],
    ["leadId", "t.lead_id"],
  ];
  for (const [key, column] of equal) {
    const value = f[key];
    if (value !== undefined) {
      q.where(column, value as string);
    }
  }
  if (f.dueFrom) {
    q.where("t.due_at", ">=", f.dueFrom);
  }
  if (f.dueTo) {
    q.where("t.due_at", "<", f.dueTo);
  }
  if (f.overdue !== undefined) {
    q.whereRaw(f.overdue ? OVERDUE : `not ${IS_OVERDUE}`);
  }
  return q;
}

export function findTaskRowById(db: Knex | Knex.Transaction, id: string): Promise<TaskRow | undefined> {
  return selectTasks(db).where("t.id", id).first();
}

/** The stored task, locked until the transaction ends, for a read-modify-write update. */
export function lockTask(db: Knex.Transaction, id: string): Promise<TaskColumns | undefined> {
  return db("tasks").where("id", id).forUpdate().first();
}

export async function insertTask(
  db: Knex.Transaction,
  columns: TaskColumns & { created_by: string },
): Promise<string> {
  const [row] = await db("tasks").insert(columns).returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateTaskColumns(
  db: Knex.Transaction,
  id: string,
  columns: TaskColumns,
): Promise<void> {
  await db("tasks")
    .where("id", id)
    .update({ ...columns, updated_at: db.fn.now() });
}

export async function deleteTask(db: Knex.Transaction, id: string): Promise<string | undefined> {
  const [row] = await db("tasks").where("id", id).delete().returning<{ owner_id: string }[]>("owner_id");
  return row?.owner_id;
}
