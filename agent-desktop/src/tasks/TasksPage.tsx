import { Group, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { TaskPage } from "@okno/contracts";
import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { useAuth } from "../auth/authStore.ts";
import { useChanges } from "../changes.ts";
import { useLoad } from "../ui/useLoad.ts";
import { NewTaskButton } from "./TaskForm.tsx";
import { TaskRow } from "./TaskRow.tsx";

/**
 * My open tasks by due time: what is overdue comes first (the oldest due time leads), then today's
 * callbacks and the rest; tasks without a due time last.
 */
export function TasksPage() {
  const { t } = useTranslation();
  const me = useAuth((s) => s.me);
  const version = useChanges((s) => s.versions.tasks ?? 0);
  const tasks = useLoad(
    (signal) =>
      api("GET", `/tasks?ownerId=${me?.id ?? ""}&status=open&sort=dueAt&limit=200`, {
        schema: TaskPage,
        signal,
      }),
    [me?.id, version],
  );
  const items = tasks.data?.items ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("tasks.title")}</Title>
        <NewTaskButton onCreated={tasks.reload} />
      </Group>
      <Paper withBorder p="md">
        {tasks.isLoading && items.length === 0 ? <Loader size="sm" /> : null}
        {!tasks.isLoading && items.length === 0 ? <Text c="dimmed">{t("tasks.empty")}</Text> : null}
        {items.map((task) => (
          <TaskRow key={task.id} task={task} onChanged={tasks.reload} />
        ))}
      </Paper>
    </Stack>
  );
}
