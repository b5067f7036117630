import { Button, Group, Select, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Task } from "@okno/contracts";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, fieldErrors } from "../api.ts";
import { askNotificationPermission } from "../softphone/callNotification.ts";
import { formatDateTime, formatPhone } from "../ui/format.ts";
import { defaultDue } from "../wrapup/wrapUpBody.ts";
import { callbackTaskBody, dueProblem, type CallbackDraft } from "./callbackTask.ts";
import { DueFields } from "./DueFields.tsx";
import { CALLBACKS_NS } from "./i18n.ts";

export interface ScheduleCallbackFormProps {
  /** The numbers to offer, the call's own first; E.164. */
  phones: string[];
  contactId: string | null;
  /** The client's name for the task title; the number stands in when unknown. */
  name: string | null;
  onScheduled: (task: Task) => void;
}

/** Date, time and a note: a callback task for this agent that reminds them at that time. */
export function ScheduleCallbackForm({ phones, contactId, name, onScheduled }: ScheduleCallbackFormProps) {
  const { t } = useTranslation(CALLBACKS_NS);
  const [draft, setDraft] = useState<CallbackDraft>(() => ({
    phone: phones[0] ?? "",
    ...defaultDue(Date.now()),
    note: "",
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<CallbackDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = dueProblem(draft, Date.now());
    if (problem) {
      setErrors({ dueAt: problem === "inPast" ? t("schedule.inPast") : t("schedule.required") });
      return;
    }
    // Scheduling is a click the agent makes knowing a reminder will come: a fair moment to ask.
    void askNotificationPermission();
    setBusy(true);
    setErrors({});
    try {
      const title = t("schedule.taskTitle", { name: name ?? formatPhone(draft.phone) });
      const task = await api("POST", "/tasks", {
        body: callbackTaskBody(draft, { contactId, title }),
        schema: Task,
        quiet: true,
      });
      notifications.show({
        color: "green",
        message: t("schedule.created", { at: task.dueAt ? formatDateTime(task.dueAt) : "" }),
      });
      onScheduled(task);
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err) : { "": String(err) });
    } finally {
      setBusy(false);
    }
  };

  const general = errors[""] ?? errors.phone ?? errors.remindAt;
  return (
    <form onSubmit={(e) => void handleSubmit(e)} aria-label={t("schedule.title")}>
      <Stack>
        {phones.length > 1 ? (
          <Select
            label={t("schedule.phone")}
            value={draft.phone}
            onChange={(phone) => phone && change({ phone })}
            data={phones.map((p) => ({ value: p, label: formatPhone(p) }))}
            allowDeselect={false}
          />
        ) : (
          <Text size="sm">
            {t("schedule.phone")}: {formatPhone(draft.phone)}
          </Text>
        )}
        <DueFields date={draft.date} time={draft.time} onChange={change} error={errors.dueAt} />
        <Textarea
          label={t("schedule.note")}
          placeholder={t("schedule.notePlaceholder")}
          value={draft.note}
          onChange={(e) => change({ note: e.currentTarget.value })}
          error={errors.description}
          rows={3}
          data-autofocus
        />
        {general ? (
          <Text c="red" size="sm" role="alert" style={{ whiteSpace: "pre-line" }}>
            {general}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t("schedule.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
