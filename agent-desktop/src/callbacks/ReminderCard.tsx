import { Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Task, type TaskReminderPush } from "@okno/contracts";
import { IconClockPause, IconPhone } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { api } from "../api.ts";
import { dial } from "../calls/dial.ts";
import { formatPhone, formatTime } from "../ui/format.ts";
import { snoozePatch } from "./callbackTask.ts";
import { CALLBACKS_NS } from "./i18n.ts";

/** The number a reminder dials: the task's own, else the contact's first. */
export function reminderPhone({ task, contact }: TaskReminderPush): string | null {
  return task.phone ?? (contact && !contact.hidden ? contact.phones[0] : undefined) ?? null;
}

export interface ReminderCardProps {
  reminder: TaskReminderPush;
  /** Takes the reminder off the screen (after a call or a snooze). */
  onClose: () => void;
}

/** Inside the reminder popup: who, which number, the note, and «Позвонить» / «Отложить». */
export function ReminderCard({ reminder, onClose }: ReminderCardProps) {
  const { t } = useTranslation(CALLBACKS_NS);
  const [busy, setBusy] = useState<"call" | "snooze" | null>(null);
  const { task, contact } = reminder;
  const phone = reminderPhone(reminder);

  const handleCall = () => {
    if (!phone) {
      return;
    }
    setBusy("call");
    onClose();
    void dial(phone).catch(() => undefined);
  };

  const handleSnooze = async () => {
    setBusy("snooze");
    try {
      const patch = snoozePatch(task, Date.now());
      const saved = await api("PATCH", `/tasks/${task.id}`, { body: patch, schema: Task });
      onClose();
      notifications.show({
        color: "blue",
        message: t("reminder.snoozed", { time: formatTime(saved.remindAt ?? patch.remindAt ?? "") }),
      });
    } catch {
      setBusy(null);
    }
  };

  return (
    <Stack gap={6} role="group" aria-label={t("reminder.region", { title: task.title })}>
      {contact && !contact.hidden ? (
        <Anchor component={Link} href={`/contacts/${contact.id}`} fw={600} size="sm" onClick={onClose}>
          {contact.fullName}
        </Anchor>
      ) : null}
      {contact?.hidden ? (
        <Text size="sm">{t("reminder.hiddenContact", { owner: contact.ownerName })}</Text>
      ) : null}
      <Group gap="xs">
        {phone ? (
          <Text size="sm" fw={500} data-testid="reminder-phone">
            {formatPhone(phone)}
          </Text>
        ) : null}
        {task.dueAt ? (
          <Text size="sm" c="dimmed">
            {t("reminder.due", { time: formatTime(task.dueAt) })}
          </Text>
        ) : null}
      </Group>
      {task.description ? (
        <Text size="sm" style={{ whiteSpace: "pre-line" }} lineClamp={4}>
          {task.description}
        </Text>
      ) : null}
      <Group gap="xs" mt={4}>
        {phone ? (
          <Button
            size="xs"
            color="green"
            leftSection={<IconPhone size={14} />}
            onClick={handleCall}
            loading={busy === "call"}
            data-testid="reminder-call"
          >
            {t("reminder.call")}
          </Button>
        ) : null}
        <Button
          size="xs"
          variant="default"
          leftSection={<IconClockPause size={14} />}
          onClick={() => void handleSnooze()}
          loading={busy === "snooze"}
          disabled={busy === "call"}
          title={t("reminder.snoozeHint")}
          data-testid="reminder-snooze"
        >
          {t("reminder.snooze")}
        </Button>
      </Group>
    </Stack>
  );
}
