import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import type { CardData, RunState, ScriptGraph } from "@okno/scripts-kb";
import { start, step } from "@okno/scripts-kb";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/authStore.ts";
import { KbDrawer, type KbView } from "../../kb/KbDrawer.tsx";
import { NodeView } from "../NodeView.tsx";
import { EDITOR_NS } from "./i18n.ts";

export interface DryRunProps {
  /** The draft, only when it validates (a broken graph cannot be walked). */
  graph: ScriptGraph | null;
}

/** A made-up caller, so placeholders show what an agent would see. */
const SAMPLE: CardData = {
  contact: { firstName: "Мария", lastName: "Иванова", fullName: "Иванова Мария", fields: {} },
  company: { name: "ООО «Кухни Плюс»" },
  deal: { title: "Кухня на заказ", amount: 45_000_000 },
  lead: null,
};

/** The draft walked with the real runner and the agent's own node view; nothing is saved. */
export function DryRun({ graph }: DryRunProps) {
  const { t } = useTranslation(EDITOR_NS);
  const me = useAuth((s) => s.me);
  const [state, setState] = useState<RunState | null>(null);
  const [kb, setKb] = useState<KbView | null>(null);
  // Any edit restarts the run: the old path may no longer exist.
  useEffect(() => setState(graph ? start(graph) : null), [graph]);
  const data = useMemo<CardData>(
    () => ({ ...SAMPLE, agent: { fullName: me?.fullName ?? "Оператор" } }),
    [me],
  );

  if (!graph || !state) {
    return <Alert color="gray">{t("dryRunBroken")}</Alert>;
  }
  return (
    <Stack gap="sm" role="region" aria-label={t("dryRun")}>
      <Text size="sm" c="dimmed">
        {t("dryRunHint")}
      </Text>
      <NodeView
        graph={graph}
        state={state}
        data={data}
        onInput={(input) => setState(step(graph, state, input))}
        onOpenArticle={(id) => setKb({ kind: "article", id, fromSearch: false })}
      />
      <Group>
        <Button variant="subtle" size="xs" onClick={() => setState(start(graph))}>
          {t("restart")}
        </Button>
        <Text size="xs" c="dimmed">
          {state.path.join(" → ")}
        </Text>
      </Group>
      <KbDrawer view={kb} onViewChange={setKb} />
    </Stack>
  );
}
