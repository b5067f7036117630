import { Id, type TaskReminderPush } from "@okno/contracts";
import type { Knex } from "knex";
import { z } from "zod";
import { canSee } from "../access/scope.ts";
import { findPrincipalByUserId } from "../auth/repo.ts";
import { enqueue } from "../jobs/queue.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { publishToUsers } from "../realtime/publishToUsers.ts";
import { findTaskRowById, toTask } from "./repo.ts";

/** Job kind that pushes one task's reminder to its responsible user. */
export const TASK_REMINDER_JOB = "task.reminder";

/** A reminder this far in the past when it is set is not sent (an import of old tasks must not ring). */
const STALE_MS = 5 * 60_000;

const ReminderPayload = z.object({ taskId: Id, remindAt: z.iso.datetime({ offset: true }) });

/**
 * Keeps the task's reminder job in step with the task, in the transaction that changes it: the pending
 * job is dropped, and a new one queued for an open task with a reminder time. A job already running
 * when the time changes finds the task moved on and sends nothing (see taskReminderJob).
 */
export async function syncTaskReminder(
  trx: Knex.Transaction,
  taskId: string,
  task: { status: string; remind_at: string | Date | null } | null,
): Promise<void> {
  await trx("jobs")
    .where("kind", TASK_REMINDER_JOB)
    .whereNull("done_at")
    .whereNull("locked_by")
    .whereRaw("payload->>'taskId' = ?", [taskId])
    .delete();
  if (!task || task.status !== "open" || task.remind_at === null) {
    return;
  }
  const runAt = new Date(task.remind_at);
  if (runAt.getTime() < Date.now() - STALE_MS) {
    return;
  }
  await enqueue(trx, TASK_REMINDER_JOB, { taskId, remindAt: runAt.toISOString() }, { runAt, maxAttempts: 3 });
}

interface ContactRow {
  id: string;
  full_name: string;
  owner_id: string;
  owner_name: string;
  owner_path: string;
  phones: string[] | null;
}

async function contactOf(db: Knex, contactId: string): Promise<ContactRow | undefined> {
  const result = await db.raw<{ rows: ContactRow[] }>(
    `select c.id, c.full_name, c.owner_id, o.full_name as owner_name, d.path as owner_path,
            (select json_agg(p.phone order by p.position) from contact_phones p where p.contact_id = c.id) as phones
       from contacts c join users o on o.id = c.owner_id join departments d on d.id = o.department_id
      where c.id = ?`,
    [contactId],
  );
  return result.rows[0];
}

/** Sends the reminder if the task is still open with this reminder time and its user still active. */
export const taskReminderJob: JobHandler = async (payload, { db }) => {
  const { taskId, remindAt } = ReminderPayload.parse(payload);
  const row = await findTaskRowById(db, taskId);
  if (!row || row.status !== "open" || row.remind_at?.getTime() !== Date.parse(remindAt)) {
    return;
  }
  const owner = await findPrincipalByUserId(db, row.owner_id);
  if (!owner) {
    return;
  }
  const c = row.contact_id ? await contactOf(db, row.contact_id) : undefined;
  const contact: TaskReminderPush["contact"] = !c
    ? null
    : canSee(owner, "contacts", { userId: c.owner_id, departmentPath: c.owner_path })
      ? { hidden: false, id: c.id, fullName: c.full_name.slice(0, 200), phones: (c.phones ?? []).slice(0, 5) }
      : { hidden: true, ownerName: c.owner_name };
  const task = toTask(row);
  // A NOTIFY holds under 8000 bytes: a long description is cut, the task itself is a click away.
  const reminder = { task: { ...task, description: task.description?.slice(0, 1000) ?? null }, contact };
  await publishToUsers(db, [{ userIds: [row.owner_id], message: { type: "task.reminder", reminder } }]);
};
