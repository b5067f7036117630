import {
  Button,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  Timeline as MantineTimeline,
  Title,
} from "@mantine/core";
import { InteractionPage, type Interaction } from "@okno/contracts";
import { IconMail, IconMessage, IconNote, IconPhone, IconUsers } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { CallLegs } from "../calls/CallLegs.tsx";
import { useChanges } from "../changes.ts";
import { formatDateTime, formatDuration } from "../ui/format.ts";

const PAGE_SIZE = 20;

const ICONS: Partial<Record<Interaction["channel"], typeof IconNote>> = {
  call: IconPhone,
  email: IconMail,
  sms: IconMessage,
  chat: IconMessage,
  messenger: IconMessage,
  meeting: IconUsers,
};

/** The contact's history, newest first: calls, notes, e-mails, 1C documents; a note in two keystrokes. */
export function Timeline({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const version = useChanges((s) => s.versions.interactions ?? 0);
  const [items, setItems] = useState<Interaction[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);

  const loadPage = async (after: string | null, signal?: AbortSignal) => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (after) {
      params.set("cursor", after);
    }
    const page = await api("GET", `/contacts/${contactId}/timeline?${params}`, {
      schema: InteractionPage,
      signal,
    });
    setItems((prev) => (after ? [...prev, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };

  useEffect(() => {
    const controller = new AbortController();
    loadPage(null, controller.signal).catch(() => undefined);
    return () => controller.abort();
    // Reloads when another user or the CTI adds to any timeline.
  }, [contactId, version]);

  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        {t("contacts.timeline")}
      </Title>
      <NoteForm contactId={contactId} onAdded={() => void loadPage(null).catch(() => undefined)} />
      <MantineTimeline bulletSize={24} lineWidth={2} mt="md">
        {items.map((item) => {
          const Icon = ICONS[item.channel] ?? IconNote;
          return (
            <MantineTimeline.Item key={item.id} bullet={<Icon size={14} />} title={entryTitle(item, t)}>
              <Text size="xs" c="dimmed">
                {formatDateTime(item.occurredAt)} · {item.ownerName}
              </Text>
              {item.channel === "call" ? <CallLegs payload={item.payload} /> : null}
              {item.result ? <Text size="sm">{item.result}</Text> : null}
              {item.body ? (
                <Text size="sm" style={{ whiteSpace: "pre-line" }}>
                  {item.body}
                </Text>
              ) : null}
            </MantineTimeline.Item>
          );
        })}
      </MantineTimeline>
      {cursor ? (
        <Button variant="subtle" mt="sm" onClick={() => void loadPage(cursor).catch(() => undefined)}>
          {t("contacts.more")}
        </Button>
      ) : null}
    </Paper>
  );
}

function entryTitle(item: Interaction, t: TFunction): string {
  const parts = [t(`channel.${item.channel}`)];
  if (item.direction) {
    parts.push(t(`direction.${item.direction}`));
  }
  if (item.durationSec !== null) {
    parts.push(formatDuration(item.durationSec));
  }
  if (item.subject) {
    parts.push(item.subject);
  }
  return parts.join(" · ");
}

function NoteForm({ contactId, onAdded }: { contactId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await api("POST", "/interactions", { body: { channel: "note", body: body.trim(), contactId } });
      setBody("");
      onAdded();
    } catch {
      // api() has shown the server's reason.
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void handleSubmit(e)}>
      <Stack gap="xs">
        <Textarea
          placeholder={t("contacts.notePlaceholder")}
          aria-label={t("contacts.addNote")}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button type="submit" size="xs" loading={busy} disabled={body.trim() === ""}>
            {t("contacts.addNote")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
