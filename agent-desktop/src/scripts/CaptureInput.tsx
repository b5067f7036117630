import { Button, Group, MultiSelect, NumberInput, Select, Stack, Textarea, TextInput } from "@mantine/core";
import type { NodeOf, RunInput } from "@okno/scripts-kb";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { captureValueOf, type CaptureInputSpec } from "./captureKinds.ts";
import { SCRIPTS_NS } from "./i18n.ts";

export interface CaptureInputProps {
  node: NodeOf<"capture">;
  spec: CaptureInputSpec;
  /** The node's text, already rendered: it labels the input. */
  label: string;
  onInput: (input: RunInput) => void;
}

/** A capture node's input, typed after the field it writes; suggested values are one click each. */
export function CaptureInput({ node, spec, label, onInput }: CaptureInputProps) {
  const { t } = useTranslation(SCRIPTS_NS);
  const [raw, setRaw] = useState<string>("");
  const [many, setMany] = useState<string[]>([]);
  const submit = (value: RunInput & { kind: "capture" }) => onInput(value);
  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    const value = spec.kind === "multiEnum" ? many : captureValueOf(spec.kind, raw);
    submit({ kind: "capture", nodeId: node.id, value });
  };

  if (spec.kind === "boolean") {
    return (
      <Group grow>
        {[true, false].map((value) => (
          <Button
            key={String(value)}
            size="lg"
            onClick={() => submit({ kind: "capture", nodeId: node.id, value })}
          >
            {value ? t("yes") : t("no")}
          </Button>
        ))}
      </Group>
    );
  }
  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="sm">
        <Field
          spec={spec}
          label={spec.label ?? label}
          raw={raw}
          setRaw={setRaw}
          many={many}
          setMany={setMany}
        />
        {node.options && node.options.length > 0 ? (
          <Group gap="xs">
            {node.options.map((option) => (
              <Button
                key={option}
                variant="light"
                size="md"
                onClick={() => submit({ kind: "capture", nodeId: node.id, value: option })}
              >
                {option}
              </Button>
            ))}
          </Group>
        ) : null}
        <Group>
          <Button type="submit" size="lg">
            {t("next")}
          </Button>
          {node.isOptional ? (
            <Button
              variant="subtle"
              onClick={() => submit({ kind: "capture", nodeId: node.id, value: null })}
            >
              {t("skip")}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}

interface FieldProps {
  spec: CaptureInputSpec;
  label: string;
  raw: string;
  setRaw: (value: string) => void;
  many: string[];
  setMany: (value: string[]) => void;
}

function Field({ spec, label, raw, setRaw, many, setMany }: FieldProps) {
  const options = spec.options.map((o) => ({ value: o.value, label: o.label }));
  switch (spec.kind) {
    case "enum":
      return (
        <Select
          label={label}
          data={options}
          value={raw || null}
          onChange={(v) => setRaw(v ?? "")}
          searchable
        />
      );
    case "multiEnum":
      return <MultiSelect label={label} data={options} value={many} onChange={setMany} searchable />;
    case "longText":
      return <Textarea label={label} value={raw} onChange={(e) => setRaw(e.currentTarget.value)} rows={3} />;
    case "number":
    case "money":
      return (
        <NumberInput
          label={label}
          value={raw}
          onChange={(v) => setRaw(String(v))}
          decimalSeparator=","
          thousandSeparator=" "
          decimalScale={spec.kind === "money" ? 2 : undefined}
          suffix={spec.kind === "money" ? " ₽" : undefined}
        />
      );
    case "date":
    case "datetime":
      return (
        <TextInput
          label={label}
          type={spec.kind === "date" ? "date" : "datetime-local"}
          value={raw}
          onChange={(e) => setRaw(e.currentTarget.value)}
        />
      );
    case "text":
    case "boolean":
      return (
        <TextInput label={label} value={raw} onChange={(e) => setRaw(e.currentTarget.value)} data-autofocus />
      );
  }
}
