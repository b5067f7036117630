import { Anchor, Badge, Group, Loader, SimpleGrid, Stack, Text } from "@mantine/core";
import type { CallCardContact } from "@okno/contracts";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { formatDateTime, formatDuration, formatMoney } from "../ui/format.ts";
import type { Card } from "./applyEvent.ts";
import { PhoneLink } from "./PhoneLink.tsx";

type KnownContact = Extract<CallCardContact, { hidden: false }>;

export interface CallerDetailsProps {
  card: Card;
  contact: KnownContact;
}

/** The known caller: company, phones, owner, open deals and tasks, the last interactions. */
export function CallerDetails({ card, contact }: CallerDetailsProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" mt="sm">
      <Group gap="md" wrap="wrap">
        {contact.company ? (
          <Text size="sm">
            {t("call.company")}:{" "}
            <Text span fw={500}>
              {contact.company.name}
            </Text>
          </Text>
        ) : null}
        {contact.ownerName ? (
          <Text size="sm" c="dimmed">
            {t("call.owner")}: {contact.ownerName}
          </Text>
        ) : null}
        {!contact.isSourceConfirmed ? (
          <Badge color="orange" variant="outline" size="sm">
            {t("call.sourceUnconfirmed")}
          </Badge>
        ) : null}
        <Anchor component={Link} href={`/contacts/${contact.id}`} size="sm">
          {t("call.openContact")}
        </Anchor>
      </Group>
      <Group gap="md" aria-label={t("call.phones")}>
        {contact.phones.map((phone) => (
          <PhoneLink key={phone} phone={phone} />
        ))}
      </Group>
      {card.needsExtras ? <Loader size="xs" /> : null}
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <DealsList deals={contact.deals} />
        <TasksList tasks={contact.tasks} />
        <HistoryList interactions={contact.interactions} />
      </SimpleGrid>
    </Stack>
  );
}

function Section({ title, empty, children }: { title: string; empty: string; children: React.ReactNode[] }) {
  return (
    <Stack gap={4}>
      <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
        {title}
      </Text>
      {children.length > 0 ? (
        children
      ) : (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      )}
    </Stack>
  );
}

function DealsList({ deals }: { deals: KnownContact["deals"] }) {
  const { t } = useTranslation();
  return (
    <Section title={t("call.deals")} empty={t("call.noDeals")}>
      {deals.map((d) => (
        <Stack key={d.id} gap={0}>
          <Anchor component={Link} href={`/deals/${d.id}`} size="sm" fw={500}>
            {d.title}
          </Anchor>
          <Text size="xs" c="dimmed">
            {[d.pipelineName, d.stageName].filter(Boolean).join(" · ")} · {formatMoney(d.amount)}
          </Text>
        </Stack>
      ))}
    </Section>
  );
}

function TasksList({ tasks }: { tasks: KnownContact["tasks"] }) {
  const { t } = useTranslation();
  return (
    <Section title={t("call.tasks")} empty={t("call.noTasks")}>
      {tasks.map((task) => (
        <Stack key={task.id} gap={0}>
          <Text size="sm">{task.title}</Text>
          <Text size="xs" c={task.isOverdue ? "red" : "dimmed"}>
            {t(`taskType.${task.type}`, { defaultValue: task.type })}
            {task.dueAt ? ` · ${formatDateTime(task.dueAt)}` : ""}
            {task.isOverdue ? ` · ${t("tasks.overdue")}` : ""}
          </Text>
        </Stack>
      ))}
    </Section>
  );
}

function HistoryList({ interactions }: { interactions: KnownContact["interactions"] }) {
  const { t } = useTranslation();
  return (
    <Section title={t("call.history")} empty={t("call.noHistory")}>
      {interactions.map((i) => (
        <Stack key={i.id} gap={0}>
          <Text size="sm">
            {t(`channel.${i.channel}`, { defaultValue: i.channel })}
            {i.direction ? `, ${t(`direction.${i.direction}`, { defaultValue: i.direction })}` : ""}
            {i.durationSec !== null ? ` · ${formatDuration(i.durationSec)}` : ""}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(i.occurredAt)}
            {i.result ? ` · ${i.result}` : i.subject ? ` · ${i.subject}` : ""}
          </Text>
        </Stack>
      ))}
    </Section>
  );
}
