import { notifications } from "@mantine/notifications";
import type { CallHandoverPush, TaskReminderPush } from "@okno/contracts";
import { i18n } from "../i18n/i18n.ts";
import { formatPhone, formatTime } from "../ui/format.ts";

/**
 * A task's reminder time has come (crm-api's `task.reminder`): it stays on screen until the agent closes
 * it, so no callback is forgotten. The task list itself refreshes through `entity.changed`.
 */
export function showTaskReminder({ task, contact }: TaskReminderPush): void {
  const who = contact && !contact.hidden ? contact.fullName : null;
  const phone = task.phone ?? (contact && !contact.hidden ? contact.phones[0] : undefined) ?? null;
  const lines = [
    who,
    phone ? formatPhone(phone) : null,
    task.dueAt ? `${i18n.t("tasks.due")}: ${formatTime(task.dueAt)}` : null,
  ].filter(Boolean);
  notifications.show({
    id: `reminder:${task.id}`,
    color: task.type === "callback" ? "orange" : "blue",
    title: `${i18n.t(`taskType.${task.type}`)}: ${task.title}`,
    message: lines.join(" · "),
    autoClose: false,
  });
}

/** A colleague is transferring a call here: their note arrives before the voice does. */
export function showHandover({ from, note, card }: CallHandoverPush): void {
  const client = card.contact && !card.contact.hidden ? card.contact.fullName : null;
  notifications.show({
    color: "grape",
    title: i18n.t("call.handoverFrom", { name: from.fullName }),
    message: [client, note].filter(Boolean).join(": "),
    autoClose: 30_000,
  });
}
