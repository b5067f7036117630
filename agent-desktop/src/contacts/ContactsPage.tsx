import { Anchor, Button, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { ContactPage as ContactPageSchema, type Contact } from "@okno/contracts";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { api } from "../api.ts";
import { PhoneLink } from "../calls/PhoneLink.tsx";
import { useChanges } from "../changes.ts";
import { ContactForm } from "./ContactForm.tsx";

const PAGE_SIZE = 30;

/** Contacts with one search box: name, a phone fragment in any format, e-mail or ИНН. */
export function ContactsPage() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [query, setQuery] = useState("");
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const [creating, { open, close }] = useDisclosure();
  const { items, isLoading, hasMore, loadMore } = useContactList(debounced);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("contacts.title")}</Title>
        <Button leftSection={<IconPlus size={16} />} onClick={open}>
          {t("contacts.new")}
        </Button>
      </Group>
      <TextInput
        leftSection={<IconSearch size={16} />}
        placeholder={t("contacts.search")}
        aria-label={t("contacts.search")}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        type="search"
      />
      <Table.ScrollContainer minWidth={480}>
        <Table highlightOnHover>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/contacts/${c.id}`} fw={500}>
                    {c.fullName}
                  </Anchor>
                  {c.position ? (
                    <Text size="xs" c="dimmed">
                      {c.position}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{c.companies.map((co) => co.name).join(", ")}</Table.Td>
                <Table.Td>{c.phones[0] ? <PhoneLink phone={c.phones[0].phone} /> : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {isLoading ? <Loader size="sm" /> : null}
      {!isLoading && items.length === 0 ? <Text c="dimmed">{t("contacts.empty")}</Text> : null}
      {hasMore ? (
        <Button variant="subtle" onClick={loadMore}>
          {t("contacts.more")}
        </Button>
      ) : null}
      <Modal opened={creating} onClose={close} title={t("contacts.new")} size="lg">
        <ContactForm
          onSaved={(contact) => {
            close();
            navigate(`/contacts/${contact.id}`);
          }}
          onCancel={close}
        />
      </Modal>
    </Stack>
  );
}

function useContactList(q: string) {
  const version = useChanges((s) => s.versions.contacts ?? 0);
  const [items, setItems] = useState<Contact[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(true);

  const fetchPage = (after: string | null, signal?: AbortSignal) => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (q) {
      params.set("q", q);
      params.set("sort", "name");
    }
    if (after) {
      params.set("cursor", after);
    }
    setLoading(true);
    return api("GET", `/contacts?${params}`, { schema: ContactPageSchema, signal })
      .then((page) => {
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch(() => undefined)
      .finally(() => setLoading(false));
  };

  useEffect(() => {
    const controller = new AbortController();
    void fetchPage(null, controller.signal);
    return () => controller.abort();
    // The list restarts when the query changes or someone changes a contact (entity.changed).
  }, [q, version]);

  return { items, isLoading, hasMore: cursor !== null, loadMore: () => void fetchPage(cursor) };
}
