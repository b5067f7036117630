import { Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Contact, Deal, TaskPage } from "@okno/contracts";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { api } from "../api.ts";
import { useChanges } from "../changes.ts";
import { NewTaskButton } from "../tasks/TaskForm.tsx";
import { TaskRow } from "../tasks/TaskRow.tsx";
import { formatDate, formatMoney } from "../ui/format.ts";
import { useLoad } from "../ui/useLoad.ts";
import { findStage, loadPipelines } from "./pipelines.ts";

export interface DealPageProps {
  id: string;
}

/** A deal at a glance: stage in its pipeline, amount in roubles, the contact, and its open tasks. */
export function DealPage({ id }: DealPageProps) {
  const { t } = useTranslation();
  const version = useChanges((s) => s.versions.deals ?? 0);
  const deal = useLoad(
    async (signal) => {
      const [d, pipelines] = await Promise.all([
        api("GET", `/deals/${id}`, { schema: Deal, signal }),
        loadPipelines().catch(() => []),
      ]);
      const contact = d.contactId
        ? await api("GET", `/contacts/${d.contactId}`, { schema: Contact, signal, quiet: true }).catch(
            () => null,
          )
        : null;
      return { deal: d, where: findStage(pipelines, d.stageId), contact };
    },
    [id, version],
  );

  if (!deal.data) {
    return deal.isLoading ? <Loader m="xl" /> : null;
  }
  const { deal: d, where, contact } = deal.data;
  return (
    <Stack>
      <Stack gap={2}>
        <Text c="dimmed" size="sm">
          {t("deals.title")}
        </Text>
        <Title order={2}>{d.title}</Title>
      </Stack>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Info label={t("deals.stage")}>
            <Group gap="xs">
              <Badge
                color={where?.stage.kind === "won" ? "green" : where?.stage.kind === "lost" ? "gray" : "blue"}
              >
                {where?.stage.name ?? "—"}
              </Badge>
              {d.closedAt ? <Text size="xs">{t("deals.closed")}</Text> : null}
            </Group>
            {where ? (
              <Text size="xs" c="dimmed">
                {t("deals.pipeline")}: {where.pipeline.name}
              </Text>
            ) : null}
          </Info>
          <Info label={t("deals.amount")}>
            <Text fw={600}>{formatMoney(d.amount)}</Text>
          </Info>
          <Info label={t("deals.contact")}>
            {contact ? (
              <Anchor component={Link} href={`/contacts/${contact.id}`} size="sm">
                {contact.fullName}
              </Anchor>
            ) : (
              <Text size="sm">—</Text>
            )}
          </Info>
          <Info label={t("deals.expectedClose")}>
            <Text size="sm">{d.expectedCloseDate ? formatDate(d.expectedCloseDate) : "—"}</Text>
          </Info>
        </SimpleGrid>
        {d.note ? (
          <Text size="sm" mt="sm" style={{ whiteSpace: "pre-line" }}>
            {d.note}
          </Text>
        ) : null}
      </Paper>
      <DealTasks dealId={d.id} contactId={d.contactId} />
    </Stack>
  );
}

function Info({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}

function DealTasks({ dealId, contactId }: { dealId: string; contactId: string | null }) {
  const { t } = useTranslation();
  const version = useChanges((s) => s.versions.tasks ?? 0);
  const tasks = useLoad(
    (signal) =>
      api("GET", `/tasks?dealId=${dealId}&status=open&sort=dueAt&limit=50`, { schema: TaskPage, signal }),
    [dealId, version],
  );
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t("deals.tasks")}</Title>
        <NewTaskButton defaults={{ dealId, ...(contactId ? { contactId } : {}) }} onCreated={tasks.reload} />
      </Group>
      {tasks.data?.items.map((task) => (
        <TaskRow key={task.id} task={task} onChanged={tasks.reload} />
      ))}
    </Paper>
  );
}
