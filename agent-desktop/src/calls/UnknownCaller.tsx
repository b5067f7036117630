import { Autocomplete, Button, Divider, Group, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { CompanyPage, Contact, ContactPage, PhoneAttachResult } from "@okno/contracts";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, fieldErrors } from "../api.ts";
import { formatPhone } from "../ui/format.ts";
import type { Card } from "./applyEvent.ts";
import { toCardContact } from "./callDetails.ts";
import { useCalls } from "./callStore.ts";

export interface UnknownCallerProps {
  card: Card;
}

/**
 * An unknown caller: name them in a few keystrokes, or attach the number to the contact they already are.
 * When the CTI has created a provisional contact for the number, the form completes that one instead of
 * making a second.
 */
export function UnknownCaller({ card }: UnknownCallerProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" mt="md">
      <Divider label={t("unknown.title")} labelPosition="left" />
      <QuickContactForm card={card} />
      <Divider label={t("unknown.attachTitle")} labelPosition="left" />
      <AttachNumber card={card} />
    </Stack>
  );
}

function QuickContactForm({ card }: UnknownCallerProps) {
  const { t } = useTranslation();
  const replaceContact = useCalls((s) => s.replaceContact);
  const [firstName, setFirstName] = useState("");
  const [lastName, setLastName] = useState("");
  const [company, setCompany] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const companies = useCompanySearch(company);
  const provisionalId = card.contact && !card.contact.hidden ? card.contact.id : null;

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const companyId = company.trim() ? await findOrCreateCompany(company.trim(), companies) : undefined;
      const fields = {
        firstName: firstName.trim(),
        lastName: lastName.trim() || null,
        ...(companyId ? { companyIds: [companyId] } : {}),
      };
      const saved = provisionalId
        ? await api("PATCH", `/contacts/${provisionalId}`, { body: fields, schema: Contact, quiet: true })
        : await api("POST", "/contacts", {
            body: { ...fields, phones: [{ phone: card.number }] },
            schema: Contact,
            quiet: true,
          });
      replaceContact(card.key, toCardContact(saved));
      notifications.show({ color: "green", message: t("unknown.created") });
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err) : {});
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void handleSubmit(e)} aria-label={t("unknown.title")}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t("unknown.name")}
          value={firstName}
          onChange={(e) => setFirstName(e.currentTarget.value)}
          required
          error={errors.firstName}
          data-autofocus
        />
        <TextInput
          label={t("unknown.lastName")}
          value={lastName}
          onChange={(e) => setLastName(e.currentTarget.value)}
        />
        <Autocomplete
          label={t("unknown.company")}
          value={company}
          onChange={setCompany}
          data={companies.map((c) => c.name)}
        />
        <TextInput label={t("unknown.source")} value={card.source ?? ""} readOnly variant="filled" />
        <Button type="submit" loading={busy} disabled={firstName.trim() === ""}>
          {t("unknown.create")}
        </Button>
      </Group>
      {errors[""] ? (
        <Text c="red" size="sm" mt="xs">
          {errors[""]}
        </Text>
      ) : null}
    </form>
  );
}

function AttachNumber({ card }: UnknownCallerProps) {
  const { t } = useTranslation();
  const replaceContact = useCalls((s) => s.replaceContact);
  const [query, setQuery] = useState("");
  const [debounced] = useDebouncedValue(query, 250);
  const [found, setFound] = useState<Contact[]>([]);
  const provisionalId = card.contact && !card.contact.hidden ? card.contact.id : null;

  useEffect(() => {
    if (debounced.trim().length < 2) {
      setFound([]);
      return;
    }
    const controller = new AbortController();
    api("GET", `/contacts?q=${encodeURIComponent(debounced.trim())}&limit=5`, {
      schema: ContactPage,
      quiet: true,
      signal: controller.signal,
    })
      .then((page) => setFound(page.items.filter((c) => c.id !== provisionalId)))
      .catch(() => undefined);
    return () => controller.abort();
  }, [debounced, provisionalId]);

  const handleAttach = async (contact: Contact) => {
    const result = await api("POST", `/contacts/${contact.id}/phones/attach`, {
      body: { phone: card.number },
      schema: PhoneAttachResult,
    });
    replaceContact(card.key, toCardContact(result.contact));
    notifications.show({ color: "green", message: t("unknown.attached", { name: result.contact.fullName }) });
  };

  return (
    <Stack gap="xs">
      <TextInput
        placeholder={t("unknown.attachSearch")}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        aria-label={t("unknown.attachSearch")}
      />
      {found.map((contact) => (
        <Group key={contact.id} justify="space-between" wrap="nowrap">
          <Text size="sm">
            {contact.fullName}
            {contact.companies[0] ? `, ${contact.companies[0].name}` : ""}
            {contact.phones[0] ? ` · ${formatPhone(contact.phones[0].phone)}` : ""}
          </Text>
          <Button size="xs" variant="light" onClick={() => void handleAttach(contact).catch(() => undefined)}>
            {t("unknown.attach")}
          </Button>
        </Group>
      ))}
    </Stack>
  );
}

type CompanyOption = { id: string; name: string };

function useCompanySearch(text: string): CompanyOption[] {
  const [debounced] = useDebouncedValue(text.trim(), 250);
  const [options, setOptions] = useState<CompanyOption[]>([]);
  useEffect(() => {
    if (debounced.length < 2) {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    api("GET", `/companies?q=${encodeURIComponent(debounced)}&limit=5`, {
      schema: CompanyPage,
      quiet: true,
      signal: controller.signal,
    })
      .then((page) => setOptions(page.items.map((c) => ({ id: c.id, name: c.name }))))
      .catch(() => undefined);
    return () => controller.abort();
  }, [debounced]);
  return options;
}

/** An existing company picked from the suggestions, or a new one with that name. */
async function findOrCreateCompany(name: string, options: CompanyOption[]): Promise<string> {
  const existing = options.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (existing) {
    return existing.id;
  }
  const created = await api<{ id: string }>("POST", "/companies", { body: { name }, quiet: true });
  return created.id;
}
