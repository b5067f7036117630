import { Group, NumberInput, SegmentedControl, Select, Stack, TextInput } from "@mantine/core";
import type { Pipeline } from "@okno/contracts";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { DueFields } from "../callbacks/DueFields.tsx";
import { loadPipelines } from "../deals/pipelines.ts";
import { WRAPUP_NS } from "./i18n.ts";
import type { NextKind, WrapUpValues } from "./wrapUpBody.ts";

export interface NextStepFieldsProps {
  values: WrapUpValues;
  onChange: (patch: Partial<WrapUpValues>) => void;
  errors: Record<string, string>;
  /** A callback needs a number to dial: a call with a hidden or internal party offers none. */
  canCallBack: boolean;
}

const KINDS: NextKind[] = ["none", "task", "callback", "deal"];

/** The next step after the call: nothing, a task or callback with a due time, or a deal. */
export function NextStepFields({ values, onChange, errors, canCallBack }: NextStepFieldsProps) {
  const { t } = useTranslation(WRAPUP_NS);
  const kinds = KINDS.filter((k) => k !== "callback" || canCallBack);
  return (
    <Stack gap="xs">
      <SegmentedControl
        value={values.nextKind}
        onChange={(v) => onChange({ nextKind: v })}
        data={kinds.map((value) => ({ value, label: t(`nextKind.${value}`) }))}
        aria-label={t("next")}
        fullWidth
      />
      {errors["next.kind"] ? <TextErrorLine text={errors["next.kind"]} /> : null}
      {values.nextKind === "none" ? null : (
        <TextInput
          label={t("nextTitle")}
          value={values.nextTitle}
          onChange={(e) => onChange({ nextTitle: e.currentTarget.value })}
          error={errors["next.title"]}
        />
      )}
      {values.nextKind === "task" || values.nextKind === "callback" ? (
        <DueFields date={values.date} time={values.time} onChange={onChange} error={errors["next.dueAt"]} />
      ) : null}
      {values.nextKind === "deal" ? <DealFields values={values} onChange={onChange} errors={errors} /> : null}
    </Stack>
  );
}

function DealFields({ values, onChange, errors }: Omit<NextStepFieldsProps, "canCallBack">) {
  const { t } = useTranslation(WRAPUP_NS);
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);
  useEffect(() => {
    loadPipelines()
      .then(setPipelines)
      .catch(() => undefined);
  }, []);
  const pipeline = pipelines.find((p) => p.id === values.pipelineId);
  return (
    <>
      <Group grow align="flex-start">
        <Select
          label={t("pipeline")}
          value={values.pipelineId}
          onChange={(pipelineId) => onChange({ pipelineId, stageId: null })}
          data={pipelines.map((p) => ({ value: p.id, label: p.name }))}
          error={errors["next.pipelineId"]}
          clearable
        />
        <Select
          label={t("stage")}
          value={values.stageId}
          onChange={(stageId) => onChange({ stageId })}
          data={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
          error={errors["next.stageId"]}
          disabled={!pipeline}
          clearable
        />
      </Group>
      <NumberInput
        label={t("amount")}
        value={values.amount ?? ""}
        onChange={(v) => onChange({ amount: typeof v === "number" ? v : null })}
        min={0}
        decimalScale={2}
        thousandSeparator=" "
        decimalSeparator=","
        error={errors["next.amount"]}
      />
    </>
  );
}

function TextErrorLine({ text }: { text: string }) {
  return (
    <span
      role="alert"
      style={{ color: "var(--mantine-color-error)", fontSize: "var(--mantine-font-size-sm)" }}
    >
      {text}
    </span>
  );
}
