import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Contact, DealPage, TaskPage } from "@okno/contracts";
import { IconEdit } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { api } from "../api.ts";
import { PhoneLink } from "../calls/PhoneLink.tsx";
import { useChanges } from "../changes.ts";
import { TaskRow } from "../tasks/TaskRow.tsx";
import { NewTaskButton } from "../tasks/TaskForm.tsx";
import { formatMoney } from "../ui/format.ts";
import { useLoad } from "../ui/useLoad.ts";
import { ContactForm } from "./ContactForm.tsx";
import { Timeline } from "./Timeline.tsx";

export interface ContactPageProps {
  id: string;
}

/** One contact: who they are, how to reach them, their deals and tasks, and the whole timeline. */
export function ContactPage({ id }: ContactPageProps) {
  const { t } = useTranslation();
  const [editing, { open, close }] = useDisclosure();
  const version = useChanges((s) => s.versions.contacts ?? 0);
  const contact = useLoad(
    (signal) => api("GET", `/contacts/${id}`, { schema: Contact, signal }),
    [id, version],
  );

  if (!contact.data) {
    return contact.isLoading ? <Loader m="xl" /> : null;
  }
  const c = contact.data;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{c.fullName}</Title>
          {c.position ? <Text c="dimmed">{c.position}</Text> : null}
        </Stack>
        <Button variant="light" leftSection={<IconEdit size={16} />} onClick={open}>
          {t("contacts.edit")}
        </Button>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Field label={t("contacts.phones")}>
            {c.phones.map((p) => (
              <PhoneLink key={p.phone} phone={p.phone} />
            ))}
          </Field>
          <Field label={t("contacts.emails")}>
            {c.emails.map((e) => (
              <Anchor key={e.email} href={`mailto:${e.email}`} size="sm">
                {e.email}
              </Anchor>
            ))}
          </Field>
          <Field label={t("contacts.companies")}>
            {c.companies.map((co) => (
              <Text key={co.id} size="sm">
                {co.name}
              </Text>
            ))}
          </Field>
        </SimpleGrid>
        {c.note ? (
          <Text size="sm" mt="sm" style={{ whiteSpace: "pre-line" }}>
            {c.note}
          </Text>
        ) : null}
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ContactDeals contactId={c.id} />
        <ContactTasks contactId={c.id} phone={c.phones[0]?.phone ?? null} />
      </SimpleGrid>
      <Timeline contactId={c.id} />
      <Modal opened={editing} onClose={close} title={c.fullName} size="lg">
        <ContactForm
          contact={c}
          onSaved={() => {
            close();
            contact.reload();
          }}
          onCancel={close}
        />
      </Modal>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" tt="uppercase" c="dimmed" fw={700}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}

function ContactDeals({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const version = useChanges((s) => s.versions.deals ?? 0);
  const deals = useLoad(
    (signal) => api("GET", `/deals?contactId=${contactId}&limit=20`, { schema: DealPage, signal }),
    [contactId, version],
  );
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="xs">
        {t("contacts.deals")}
      </Title>
      {deals.data?.items.map((d) => (
        <Group key={d.id} justify="space-between">
          <Anchor component={Link} href={`/deals/${d.id}`} size="sm">
            {d.title}
          </Anchor>
          <Group gap="xs">
            {d.closedAt ? <Badge color="gray">{t("deals.closed")}</Badge> : null}
            <Text size="sm">{formatMoney(d.amount)}</Text>
          </Group>
        </Group>
      ))}
    </Paper>
  );
}

function ContactTasks({ contactId, phone }: { contactId: string; phone: string | null }) {
  const { t } = useTranslation();
  const version = useChanges((s) => s.versions.tasks ?? 0);
  const tasks = useLoad(
    (signal) =>
      api("GET", `/tasks?contactId=${contactId}&status=open&sort=dueAt&limit=20`, {
        schema: TaskPage,
        signal,
      }),
    [contactId, version],
  );
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t("contacts.tasks")}</Title>
        <NewTaskButton defaults={{ contactId, phone }} onCreated={tasks.reload} />
      </Group>
      {tasks.data?.items.map((task) => (
        <TaskRow key={task.id} task={task} onChanged={tasks.reload} />
      ))}
    </Paper>
  );
}
