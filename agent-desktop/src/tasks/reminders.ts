import { notifications } from "@mantine/notifications";
import type { CallHandoverPush } from "@okno/contracts";
import { i18n } from "../i18n/i18n.ts";

/**
 * A task's reminder time has come (crm-api's `task.reminder`): the popup with «Позвонить» and «Отложить»
 * lives with the callbacks. The task list itself refreshes through `entity.changed`.
 */
export { showReminder as showTaskReminder } from "../callbacks/showReminder.tsx";

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
