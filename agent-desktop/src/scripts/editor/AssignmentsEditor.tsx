import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { AssignmentKind, type Assignment, type ScriptSummary } from "@okno/scripts-kb";
import { IconX } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { EDITOR_NS } from "./i18n.ts";

export interface AssignmentsEditorProps {
  scriptId: string;
  assignments: Assignment[];
  onSaved: (summary: ScriptSummary) => void;
}

/** Where the script opens by itself: queues, numbers (DID / tracking), campaigns, deal stages. */
export function AssignmentsEditor({ scriptId, assignments, onSaved }: AssignmentsEditorProps) {
  const { t } = useTranslation(EDITOR_NS);
  const [rows, setRows] = useState<Assignment[]>(assignments);
  const [isSaving, setSaving] = useState(false);
  const setRow = (i: number, change: Partial<Assignment>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const handleSave = async () => {
    setSaving(true);
    try {
      const summary = await api<ScriptSummary>("PUT", `/scripts/${scriptId}/assignments`, {
        body: { items: rows },
      });
      onSaved(summary);
      notifications.show({ color: "green", message: t("assignmentsSaved") });
    } catch {
      // api() has shown the server's reason.
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t("assignmentsHint")}
      </Text>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
          <Select
            aria-label={`${t("kind")} ${i + 1}`}
            w={160}
            data={AssignmentKind.options.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            value={row.kind}
            onChange={(k) => k && setRow(i, { kind: k })}
            allowDeselect={false}
          />
          <TextInput
            aria-label={`${t("value")} ${i + 1}`}
            placeholder={row.kind === "line" ? "+7 495 123-45-67" : t("value")}
            value={row.value}
            onChange={(e) => setRow(i, { value: e.currentTarget.value })}
            style={{ flex: 1 }}
          />
          <NumberInput
            aria-label={`${t("priority")} ${i + 1}`}
            w={90}
            value={row.priority}
            onChange={(v) => setRow(i, { priority: typeof v === "number" ? v : 0 })}
            min={-1000}
            max={1000}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={() => setRows(rows.filter((_, j) => j !== i))}
            mb={6}
          >
            <IconX size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="subtle"
          size="xs"
          onClick={() => setRows([...rows, { kind: "line", value: "", priority: 0 }])}
        >
          {t("addAssignment")}
        </Button>
        <Button size="xs" loading={isSaving} onClick={() => void handleSave()}>
          {t("saveAssignments")}
        </Button>
      </Group>
    </Stack>
  );
}
