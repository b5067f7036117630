import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import type { FieldDefinition } from "@okno/contracts";
import {
  CAPTURE_FIELDS,
  CaptureEntity,
  Outcome,
  type NodeOf,
  type ScriptNode,
  type ScriptProblem,
} from "@okno/scripts-kb";
import { IconArrowDown, IconArrowUp, IconTrash, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { NODE_TYPES, nodeOfType } from "./draft.ts";
import { EDITOR_NS } from "./i18n.ts";

export interface NodeCardProps {
  node: ScriptNode;
  index: number;
  count: number;
  isStart: boolean;
  nodeIds: string[];
  problems: ScriptProblem[];
  articles: { value: string; label: string }[];
  /** Custom fields per capture entity, for the field select. */
  customFields: Partial<Record<CaptureEntity, FieldDefinition[]>>;
  onChange: (node: ScriptNode) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

/** One step of the draft as a form; its validation problems are shown on it. */
export function NodeCard(props: NodeCardProps) {
  const { node, index, count, isStart, problems, onChange, onMove, onRemove } = props;
  const { t } = useTranslation(EDITOR_NS);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      aria-label={`${t(`types.${node.type}`)} ${node.id}`}
      style={problems.length > 0 ? { borderColor: "var(--mantine-color-red-5)" } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge variant="light">{index + 1}</Badge>
            {isStart ? <Badge color="green">{t("start")}</Badge> : null}
            <Select
              size="xs"
              w={170}
              aria-label={t("nodeType")}
              data={NODE_TYPES.map((type) => ({ value: type, label: t(`types.${type}`) }))}
              value={node.type}
              onChange={(type) => type && onChange(nodeOfType(type, node.id, node))}
              allowDeselect={false}
            />
            <TextInput
              size="xs"
              w={150}
              aria-label={t("nodeId")}
              value={node.id}
              onChange={(e) => onChange({ ...node, id: e.currentTarget.value })}
            />
          </Group>
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="subtle"
              disabled={index === 0}
              onClick={() => onMove(-1)}
              aria-label={t("moveUp")}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
              aria-label={t("moveDown")}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={t("remove")}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        </Group>
        {problems.map((p, i) => (
          <Alert key={i} color="red" p="xs" role="alert">
            {p.message}
          </Alert>
        ))}
        <NodeFields {...props} />
      </Stack>
    </Paper>
  );
}

function NodeFields({ node, nodeIds, articles, customFields, onChange }: NodeCardProps) {
  const { t } = useTranslation(EDITOR_NS);
  const links = nodeIds.filter((id) => id !== node.id).map((id) => ({ value: id, label: id }));
  const linkSelect = (label: string, value: string, set: (id: string) => void) => (
    <Select
      label={label}
      data={withCurrent(links, value)}
      value={value || null}
      onChange={(id) => set(id ?? "")}
      searchable
    />
  );
  return (
    <>
      {"text" in node || node.type === "end" ? (
        <Textarea
          label={t("text")}
          description={t("textHint")}
          value={"text" in node ? (node.text ?? "") : ""}
          onChange={(e) => onChange({ ...node, text: e.currentTarget.value })}
          rows={3}
        />
      ) : null}
      {node.type === "say" || node.type === "capture"
        ? linkSelect(t("next"), node.next, (next) => onChange({ ...node, next }))
        : null}
      {node.type === "jump"
        ? linkSelect(t("target"), node.target, (target) => onChange({ ...node, target }))
        : null}
      {node.type === "question" ? <AnswersEditor node={node} links={links} onChange={onChange} /> : null}
      {node.type === "capture" ? (
        <CaptureTargetEditor node={node} customFields={customFields} onChange={onChange} />
      ) : null}
      {node.type === "end" ? (
        <Select
          label={t("outcome")}
          data={Outcome.options.map((o) => ({ value: o, label: t(`outcomes.${o}`) }))}
          value={node.outcome}
          onChange={(o) => o && onChange({ ...node, outcome: o })}
          allowDeselect={false}
        />
      ) : null}
      {node.type !== "jump" ? (
        <MultiSelect
          label={t("articles")}
          placeholder={t("articlesPlaceholder")}
          data={articles}
          value={node.articleIds ?? []}
          onChange={(ids) => onChange({ ...node, articleIds: ids.length > 0 ? ids : undefined })}
          searchable
        />
      ) : null}
    </>
  );
}

/** A link to a deleted step still shows (as its id) so the problem on it makes sense. */
function withCurrent(links: { value: string; label: string }[], value: string) {
  return value && !links.some((l) => l.value === value) ? [...links, { value, label: value }] : links;
}

function AnswersEditor({
  node,
  links,
  onChange,
}: {
  node: NodeOf<"question">;
  links: { value: string; label: string }[];
  onChange: (node: ScriptNode) => void;
}) {
  const { t } = useTranslation(EDITOR_NS);
  const setAnswers = (answers: NodeOf<"question">["answers"]) => onChange({ ...node, answers });
  return (
    <Stack gap={6}>
      {node.answers.map((a, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            label={i === 0 ? t("answerLabel") : undefined}
            aria-label={`${t("answerLabel")} ${i + 1}`}
            value={a.label}
            onChange={(e) =>
              setAnswers(node.answers.map((x, j) => (j === i ? { ...x, label: e.currentTarget.value } : x)))
            }
            style={{ flex: 1 }}
          />
          <Select
            label={i === 0 ? t("next") : undefined}
            aria-label={`${t("next")} ${i + 1}`}
            data={withCurrent(links, a.next)}
            value={a.next || null}
            onChange={(next) =>
              setAnswers(node.answers.map((x, j) => (j === i ? { ...x, next: next ?? "" } : x)))
            }
            searchable
            w={180}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            disabled={node.answers.length === 1}
            onClick={() => setAnswers(node.answers.filter((_, j) => j !== i))}
            aria-label={t("removeAnswer")}
            mb={6}
          >
            <IconX size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="xs"
        w="fit-content"
        onClick={() => setAnswers([...node.answers, { id: answerId(node), label: "", next: "" }])}
      >
        {t("addAnswer")}
      </Button>
    </Stack>
  );
}

function answerId(node: NodeOf<"question">): string {
  const taken = new Set(node.answers.map((a) => a.id));
  let n = node.answers.length + 1;
  while (taken.has(`a${n}`)) {
    n++;
  }
  return `a${n}`;
}

function CaptureTargetEditor({
  node,
  customFields,
  onChange,
}: {
  node: NodeOf<"capture">;
  customFields: NodeCardProps["customFields"];
  onChange: (node: ScriptNode) => void;
}) {
  const { t } = useTranslation(EDITOR_NS);
  const entity = node.target.entity;
  const fields = [
    ...CAPTURE_FIELDS[entity].map((f) => ({ value: f, label: f })),
    ...(customFields[entity] ?? []).map((d) => ({ value: `fields.${d.key}`, label: d.label })),
  ];
  return (
    <>
      <Group grow>
        <Select
          label={t("entity")}
          data={CaptureEntity.options.map((e) => ({ value: e, label: t(`entities.${e}`) }))}
          value={entity}
          onChange={(e) =>
            e &&
            onChange({
              ...node,
              target: { entity: e, field: CAPTURE_FIELDS[e][0]! },
            })
          }
          allowDeselect={false}
        />
        <Select
          label={t("field")}
          data={withCurrent(fields, node.target.field)}
          value={node.target.field}
          onChange={(field) => field && onChange({ ...node, target: { entity, field } })}
          searchable
          allowDeselect={false}
        />
      </Group>
      <TextInput
        label={t("options")}
        defaultValue={(node.options ?? []).join(", ")}
        onBlur={(e) => {
          const options = e.currentTarget.value
            .split(",")
            .map((o) => o.trim())
            .filter(Boolean);
          onChange({ ...node, options: options.length > 0 ? options : undefined });
        }}
      />
      <Checkbox
        label={t("optional")}
        checked={node.isOptional ?? false}
        onChange={(e) => onChange({ ...node, isOptional: e.currentTarget.checked || undefined })}
      />
    </>
  );
}
