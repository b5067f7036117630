import { Badge, Checkbox, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { Task } from "@okno/contracts";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { PhoneLink } from "../calls/PhoneLink.tsx";
import { formatDateTime, formatTime } from "../ui/format.ts";

export interface TaskRowProps {
  task: Task;
  onChanged: () => void;
}

/** One open task: tick to complete; a callback shows when to call and the number to click. */
export function TaskRow({ task, onChanged }: TaskRowProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);

  const handleComplete = async () => {
    setBusy(true);
    try {
      await api("PATCH", `/tasks/${task.id}`, { body: { status: "done" } });
      notifications.show({ color: "green", message: t("tasks.completed") });
      onChanged();
    } catch {
      setBusy(false);
    }
  };

  return (
    <Group wrap="nowrap" align="flex-start" py={6} data-overdue={task.isOverdue || undefined}>
      <Checkbox
        mt={3}
        checked={busy}
        disabled={busy}
        onChange={() => void handleComplete()}
        aria-label={`${t("tasks.complete")}: ${task.title}`}
      />
      <Stack gap={2} style={{ flex: 1 }}>
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {task.title}
          </Text>
          {task.type !== "task" ? (
            <Badge size="xs" variant="light" color={task.type === "callback" ? "orange" : "blue"}>
              {t(`taskType.${task.type}`)}
            </Badge>
          ) : null}
          {task.isOverdue ? (
            <Badge size="xs" color="red">
              {t("tasks.overdue")}
            </Badge>
          ) : null}
        </Group>
        <Group gap="md">
          <Text size="xs" c={task.isOverdue ? "red" : "dimmed"}>
            {task.dueAt
              ? task.type === "callback"
                ? `${t("tasks.callbackAt", { time: formatTime(task.dueAt) })}, ${formatDateTime(task.dueAt)}`
                : `${t("tasks.due")}: ${formatDateTime(task.dueAt)}`
              : t("tasks.noDue")}
          </Text>
          {task.phone ? <PhoneLink phone={task.phone} size="xs" /> : null}
        </Group>
      </Stack>
    </Group>
  );
}
