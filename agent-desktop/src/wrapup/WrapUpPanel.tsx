import {
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { WrapUpResult } from "@okno/contracts";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useAgentState } from "../agent/agentStore.ts";
import { secondsSince, useNow } from "../agent/useNow.ts";
import { api, ApiError, fieldErrors } from "../api.ts";
import type { Card } from "../calls/applyEvent.ts";
import { formatDuration } from "../ui/format.ts";
import { WRAPUP_NS } from "./i18n.ts";
import { NextStepFields } from "./NextStepFields.tsx";
import { loadSources, type SourceOption } from "./sources.ts";
import { defaultDue, wrapUpBody, type WrapUpValues } from "./wrapUpBody.ts";
import { useWrapUps } from "./wrapUpStore.ts";

export interface WrapUpPanelProps {
  card: Card;
}

/** Fields the form shows inline; any other reason the server gives goes under the form. */
const INLINE = ["result", "sourceId", "sourceConfirmed", "note", "next.kind", "next.title", "next.dueAt"];
const INLINE_DEAL = ["next.pipelineId", "next.stageId", "next.amount"];

/**
 * The outcome of a call the agent answered, on its card once it ended: result, the client's source,
 * a note and the next step, saved in one POST /interactions/:id/wrap-up. The ACW timer runs meanwhile.
 */
export function WrapUpPanel({ card }: WrapUpPanelProps) {
  const { t } = useTranslation(WRAPUP_NS);
  const saved = useWrapUps((s) => s.saved[card.key]);
  if (saved !== undefined) {
    return (
      <Text mt="sm" c="green.8" fw={500}>
        {t("saved", { result: saved })}
      </Text>
    );
  }
  return <WrapUpForm card={card} />;
}

function WrapUpForm({ card }: WrapUpPanelProps) {
  const { t } = useTranslation(WRAPUP_NS);
  const [values, setValues] = useState<WrapUpValues>(() => initialValues(Date.now()));
  const [sources, setSources] = useState<SourceOption[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const callSourceId = sources.find((s) => s.name === card.source)?.id ?? null;
  const hasContact = card.contact !== null && card.contact !== undefined && !card.contact.hidden;
  const change = (patch: Partial<WrapUpValues>) => setValues((v) => ({ ...v, ...patch }));

  useEffect(() => {
    void loadSources().then(setSources);
  }, []);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const picked = { ...values, sourceId: values.sourceId ?? callSourceId };
      const result = await api("POST", `/interactions/${card.interactionId}/wrap-up`, {
        body: wrapUpBody(picked, callSourceId),
        schema: WrapUpResult,
        quiet: true,
      });
      if (result.agentState) {
        useAgentState.getState().set(result.agentState);
      }
      useWrapUps.getState().markSaved(card.key, result.result);
    } catch (err) {
      setErrors(err instanceof ApiError ? fieldErrors(err) : { "": String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void handleSubmit(e)} aria-label={t("title")}>
      <Divider my="sm" />
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{t("title")}</Text>
          <AcwTimer />
        </Group>
        <TextInput
          label={t("result")}
          placeholder={t("resultPlaceholder")}
          value={values.result}
          onChange={(e) => change({ result: e.currentTarget.value })}
          error={errors.result}
          required
          data-autofocus
        />
        {hasContact ? (
          <SourceFields card={card} sources={sources} values={values} onChange={change} errors={errors} />
        ) : null}
        <Textarea
          label={t("note")}
          placeholder={t("notePlaceholder")}
          value={values.note}
          onChange={(e) => change({ note: e.currentTarget.value })}
          error={errors.note}
          rows={3}
        />
        <Text size="sm" fw={500}>
          {t("next")}
        </Text>
        <NextStepFields
          values={values}
          onChange={change}
          errors={errors}
          canCallBack={card.number?.startsWith("+") ?? false}
        />
        <GeneralError errors={errors} />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t("save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function initialValues(now: number): WrapUpValues {
  return {
    result: "",
    sourceId: null,
    sourceConfirmed: false,
    note: "",
    nextKind: "none",
    nextTitle: "",
    ...defaultDue(now),
    pipelineId: null,
    stageId: null,
    amount: null,
  };
}

interface SourceFieldsProps {
  card: Card;
  sources: SourceOption[];
  values: WrapUpValues;
  onChange: (patch: Partial<WrapUpValues>) => void;
  errors: Record<string, string>;
}

/** The call's source, to confirm as is or replace with the one the client named. */
function SourceFields({ card, sources, values, onChange, errors }: SourceFieldsProps) {
  const { t } = useTranslation(WRAPUP_NS);
  const callSourceId = sources.find((s) => s.name === card.source)?.id ?? null;
  return (
    <Stack gap={4}>
      {sources.length > 0 ? (
        <Select
          label={t("source")}
          value={values.sourceId ?? callSourceId}
          onChange={(sourceId) => onChange({ sourceId, sourceConfirmed: true })}
          data={sources.map((s) => ({ value: s.id, label: s.name }))}
          error={errors.sourceId}
          searchable
        />
      ) : (
        <Text size="sm">{card.source ? t("sourceFromCall", { source: card.source }) : t("sourceNone")}</Text>
      )}
      <Checkbox
        label={t("sourceConfirmed")}
        checked={values.sourceConfirmed}
        onChange={(e) => onChange({ sourceConfirmed: e.currentTarget.checked })}
        error={errors.sourceConfirmed}
        disabled={!card.source && !values.sourceId}
      />
    </Stack>
  );
}

/** Time in after-call work: from the agent's ACW state when the server has put them in it. */
function AcwTimer() {
  const { t } = useTranslation(WRAPUP_NS);
  const agent = useAgentState((s) => s.current);
  const [shownAt] = useState(() => new Date().toISOString());
  const since = agent?.state === "acw" ? agent.since : shownAt;
  const now = useNow();
  return (
    <Badge variant="light" color="blue" title={t("acw")}>
      {t("acw")} · {formatDuration(secondsSince(since, now))}
    </Badge>
  );
}

function GeneralError({ errors }: { errors: Record<string, string> }) {
  const shown = new Set([...INLINE, ...INLINE_DEAL]);
  const rest = Object.entries(errors).filter(([field]) => field !== "" && !shown.has(field));
  const text = rest.length > 0 ? rest.map(([f, r]) => `${f}: ${r}`).join("\n") : errors[""];
  const onlyInline = Object.keys(errors).some((f) => shown.has(f)) && rest.length === 0;
  if (!text || onlyInline) {
    return null;
  }
  return (
    <Text c="red" size="sm" role="alert" style={{ whiteSpace: "pre-line" }}>
      {text}
    </Text>
  );
}
