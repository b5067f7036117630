import { Alert, Badge, Button, SimpleGrid, Stack, Text, Tooltip } from "@mantine/core";
import type { FieldDefinition } from "@okno/contracts";
import {
  BLANK,
  currentNode,
  renderParts,
  renderText,
  type CardData,
  type RunInput,
  type RunState,
  type ScriptGraph,
} from "@okno/scripts-kb";
import { useTranslation } from "react-i18next";
import { ArticleLinks } from "./ArticleLinks.tsx";
import { CaptureInput } from "./CaptureInput.tsx";
import { captureInputSpec } from "./captureKinds.ts";
import { SCRIPTS_NS } from "./i18n.ts";

export interface NodeViewProps {
  graph: ScriptGraph;
  state: RunState;
  data: CardData;
  onInput: (input: RunInput) => void;
  onOpenArticle: (id: string) => void;
  /** Custom field definitions of the entities captures write (typed inputs). */
  definitions?: readonly FieldDefinition[];
}

const OUTCOME_COLOR = {
  success: "green",
  callback: "yellow",
  refused: "red",
  not_target: "gray",
  other: "blue",
};

/** The node the run is at: its text with the card's values, and what the agent can do next. */
export function NodeView({ graph, state, data, onInput, onOpenArticle, definitions = [] }: NodeViewProps) {
  const { t } = useTranslation(SCRIPTS_NS);
  const node = currentNode(graph, state);
  if (!node) {
    return state.error ? <Alert color="red">{t(`error.${state.error.code}`, state.error)}</Alert> : null;
  }
  const text = "text" in node && node.text ? node.text : "";
  return (
    <Stack gap="sm" data-node-id={node.id}>
      {node.title ? (
        <Text size="sm" fw={600} c="dimmed">
          {node.title}
        </Text>
      ) : null}
      {text ? <FilledText text={text} data={data} /> : null}
      {node.articleIds ? <ArticleLinks ids={node.articleIds} onOpen={onOpenArticle} /> : null}
      {state.error ? (
        <Alert color="orange" role="alert">
          {t(`error.${state.error.code}`, state.error)}
        </Alert>
      ) : null}
      {node.type === "say" ? (
        <Button size="lg" onClick={() => onInput({ kind: "next", nodeId: node.id })} w="fit-content">
          {t("next")}
        </Button>
      ) : null}
      {node.type === "question" ? (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          {node.answers.map((a) => (
            <Button
              key={a.id}
              size="lg"
              variant="outline"
              onClick={() => onInput({ kind: "answer", nodeId: node.id, answerId: a.id })}
              styles={{ label: { whiteSpace: "normal" } }}
              h="auto"
              py="sm"
            >
              {a.label}
            </Button>
          ))}
        </SimpleGrid>
      ) : null}
      {node.type === "capture" ? (
        <CaptureInput
          key={`${node.id}:${state.answers.length}`}
          node={node}
          spec={captureInputSpec(node.target, definitions)}
          label={renderText(node.text, data)}
          onInput={onInput}
        />
      ) : null}
      {node.type === "end" ? (
        <Badge size="lg" color={OUTCOME_COLOR[node.outcome]} variant="light">
          {t("ended")}: {t(`outcome.${node.outcome}`)}
        </Badge>
      ) : null}
    </Stack>
  );
}

/** The text with the card's values; a missing one is a visible blank that names what is missing. */
function FilledText({ text, data }: { text: string; data: CardData }) {
  const { t } = useTranslation(SCRIPTS_NS);
  return (
    <Text size="lg" style={{ whiteSpace: "pre-wrap" }}>
      {renderParts(text, data).map((part, i) => {
        if ("text" in part) {
          return part.text;
        }
        return part.value !== null ? (
          <strong key={i}>{part.value}</strong>
        ) : (
          <Tooltip key={i} label={t("missingValue", { path: part.placeholder })}>
            <Text span c="orange">
              {BLANK}
            </Text>
          </Tooltip>
        );
      })}
    </Text>
  );
}
