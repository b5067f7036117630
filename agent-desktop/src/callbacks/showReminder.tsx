import { notifications } from "@mantine/notifications";
import type { TaskReminderPush } from "@okno/contracts";
import { i18n } from "../i18n/i18n.ts";
import { notifyOutside } from "../shell/notifyOutside.ts";
import { formatPhone } from "../ui/format.ts";
import { CALLBACKS_NS } from "./i18n.ts";
import { ReminderCard, reminderPhone } from "./ReminderCard.tsx";

const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, { ns: CALLBACKS_NS, ...options });

export const reminderNotificationId = (taskId: string) => `reminder:${taskId}`;

/**
 * A task's reminder time has come (crm-api's `task.reminder`): a popup that stays until the agent calls,
 * snoozes or closes it, and an OS notification when the agent is looking at another tab or program.
 * A second reminder for the same task replaces the first.
 */
export function showReminder(reminder: TaskReminderPush): void {
  const { task, contact } = reminder;
  const id = reminderNotificationId(task.id);
  const isCallback = task.type === "callback" || task.type === "call";
  const title = isCallback ? t("reminder.title") : t("reminder.titleTask", { title: task.title });
  notifications.hide(id);
  notifications.show({
    id,
    color: isCallback ? "orange" : "blue",
    title,
    message: <ReminderCard reminder={reminder} onClose={() => notifications.hide(id)} />,
    autoClose: false,
    // Above error toasts and the like: a promised call back must not wait in the queue.
    priority: 10,
    "data-testid": "callback-reminder",
    "data-task-id": task.id,
  });
  const phone = reminderPhone(reminder);
  const who = contact && !contact.hidden ? contact.fullName : null;
  notifyOutside({
    title: isCallback && who ? `${title}: ${who}` : title,
    body: [phone ? formatPhone(phone) : null, isCallback ? task.title : null, task.description]
      .filter(Boolean)
      .join("\n"),
    tag: `okno-reminder-${task.id}`,
  });
}
