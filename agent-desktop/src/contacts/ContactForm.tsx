import { ActionIcon, Button, Group, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { Contact } from "@okno/contracts";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, fieldErrors } from "../api.ts";

export interface ContactFormProps {
  /** The contact to edit; a new one when absent. */
  contact?: Contact;
  onSaved: (contact: Contact) => void;
  onCancel: () => void;
}

interface Draft {
  lastName: string;
  firstName: string;
  middleName: string;
  position: string;
  note: string;
  phones: string[];
  emails: string[];
}

function draftOf(c: Contact | undefined): Draft {
  return {
    lastName: c?.lastName ?? "",
    firstName: c?.firstName ?? "",
    middleName: c?.middleName ?? "",
    position: c?.position ?? "",
    note: c?.note ?? "",
    phones: c?.phones.map((p) => p.phone) ?? [""],
    emails: c?.emails.map((e) => e.email) ?? [],
  };
}

/** Create or edit a contact; phones are typed any way people write them, crm-api normalises them. */
export function ContactForm({ contact, onSaved, onCancel }: ContactFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(contact));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const text = (key: "lastName" | "firstName" | "middleName" | "position") => ({
    value: draft[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set({ [key]: e.currentTarget.value }),
    error: errors[key],
  });

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    const kinds = new Map(contact?.phones.map((p) => [p.phone, p.kind]));
    const body = {
      lastName: draft.lastName.trim() || null,
      firstName: draft.firstName.trim(),
      middleName: draft.middleName.trim() || null,
      position: draft.position.trim() || null,
      note: draft.note.trim() || null,
      phones: draft.phones
        .map((p) => p.trim())
        .filter(Boolean)
        .map((phone) => ({ phone, kind: kinds.get(phone) ?? "mobile" })),
      emails: draft.emails
        .map((e) => e.trim())
        .filter(Boolean)
        .map((email) => ({ email })),
    };
    try {
      const saved = contact
        ? await api("PATCH", `/contacts/${contact.id}`, { body, schema: Contact, quiet: true })
        : await api("POST", "/contacts", { body, schema: Contact, quiet: true });
      onSaved(saved);
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err) : { "": String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void handleSubmit(e)}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t("contacts.lastName")} {...text("lastName")} />
          <TextInput label={t("contacts.firstName")} required {...text("firstName")} />
          <TextInput label={t("contacts.middleName")} {...text("middleName")} />
        </SimpleGrid>
        <TextInput label={t("contacts.position")} {...text("position")} />
        <ListInput
          label={t("contacts.phones")}
          addLabel={t("contacts.addPhone")}
          values={draft.phones}
          onChange={(phones) => set({ phones })}
          type="tel"
          errorOf={(i) => errors[`phones.${i}.phone`] ?? errors[`phones.${i}`]}
        />
        <ListInput
          label={t("contacts.emails")}
          addLabel={t("contacts.addEmail")}
          values={draft.emails}
          onChange={(emails) => set({ emails })}
          type="email"
          errorOf={(i) => errors[`emails.${i}.email`] ?? errors[`emails.${i}`]}
        />
        <Textarea
          label={t("contacts.note")}
          value={draft.note}
          onChange={(e) => set({ note: e.currentTarget.value })}
          autosize
          minRows={2}
        />
        {errors[""] ? (
          <Text c="red" size="sm" role="alert" style={{ whiteSpace: "pre-line" }}>
            {errors[""]}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("contacts.cancel")}
          </Button>
          <Button type="submit" loading={busy}>
            {t("contacts.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface ListInputProps {
  label: string;
  addLabel: string;
  values: string[];
  onChange: (values: string[]) => void;
  type: "tel" | "email";
  errorOf: (index: number) => string | undefined;
}

function ListInput({ label, addLabel, values, onChange, type, errorOf }: ListInputProps) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {values.map((value, i) => (
        <Group key={i} gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            type={type}
            value={value}
            aria-label={label}
            error={errorOf(i)}
            onChange={(e) => onChange(values.map((v, j) => (j === i ? e.currentTarget.value : v)))}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={() => onChange(values.filter((_, j) => j !== i))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="xs"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...values, ""])}
        w="fit-content"
      >
        {addLabel}
      </Button>
    </Stack>
  );
}
