import { Button, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { PHONE_TASK_TYPES, Task, TaskType } from "@okno/contracts";
import { IconPlus } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, fieldErrors } from "../api.ts";

export interface TaskDefaults {
  contactId?: string;
  dealId?: string;
  phone?: string | null;
}

export interface NewTaskButtonProps {
  defaults?: TaskDefaults;
  onCreated: (task: Task) => void;
}

/** «Новая задача»: a small form in a modal, linked to the contact or deal it was opened from. */
export function NewTaskButton({ defaults = {}, onCreated }: NewTaskButtonProps) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure();
  return (
    <>
      <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={open}>
        {t("tasks.new")}
      </Button>
      <Modal opened={opened} onClose={close} title={t("tasks.new")}>
        <TaskForm
          defaults={defaults}
          onCreated={(task) => {
            close();
            onCreated(task);
          }}
        />
      </Modal>
    </>
  );
}

function TaskForm({ defaults, onCreated }: { defaults: TaskDefaults; onCreated: (task: Task) => void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<TaskType>("task");
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const [phone, setPhone] = useState(defaults.phone ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const needsPhone = PHONE_TASK_TYPES.includes(type);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const task = await api("POST", "/tasks", {
        body: {
          type,
          title: title.trim(),
          // datetime-local is the device's local time; the API takes an instant with an offset.
          dueAt: due ? new Date(due).toISOString() : null,
          phone: needsPhone ? phone.trim() || null : null,
          contactId: defaults.contactId ?? null,
          dealId: defaults.dealId ?? null,
        },
        schema: Task,
        quiet: true,
      });
      onCreated(task);
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err) : { "": String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void handleSubmit(e)}>
      <Stack>
        <Select
          label={t("tasks.type")}
          value={type}
          onChange={(v) => setType(TaskType.catch("task").parse(v))}
          data={TaskType.options.map((value) => ({ value, label: t(`taskType.${value}`) }))}
          allowDeselect={false}
        />
        <TextInput
          label={t("tasks.taskTitle")}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          required
          error={errors.title}
        />
        <TextInput
          label={t("tasks.due")}
          type="datetime-local"
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
          error={errors.dueAt}
        />
        {needsPhone ? (
          <TextInput
            label={t("tasks.phone")}
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            required
            error={errors.phone}
          />
        ) : null}
        {errors[""] ? (
          <Text c="red" size="sm" role="alert" style={{ whiteSpace: "pre-line" }}>
            {errors[""]}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t("tasks.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
