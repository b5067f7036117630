import { Alert, Badge, Button, Divider, Group, Loader, Select, Stack, Text } from "@mantine/core";
import type { ScriptSummary } from "@okno/scripts-kb";
import { IconArrowBackUp, IconBook, IconRefresh } from "@tabler/icons-react";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAuth } from "../auth/authStore.ts";
import type { Card } from "../calls/applyEvent.ts";
import { KbDrawer, type KbView } from "../kb/KbDrawer.tsx";
import "../kb/i18n.ts";
import { cardDataOf } from "./cardData.ts";
import { SCRIPTS_NS } from "./i18n.ts";
import { NodeView } from "./NodeView.tsx";
import { useScriptRuns, type CallRun } from "./runStore.ts";
import { SaveStatusLine } from "./SaveStatusLine.tsx";
import { listScripts } from "./scriptApi.ts";
import { useCallContact, useCaptureDefinitions } from "./useScriptContext.ts";

export interface ScriptPanelProps {
  card: Card;
}

/**
 * The call's script under the caller's details: it opens by itself with the script assigned to the
 * call, walks with the agent's answers and saves them to the interaction when it ends or the call does.
 */
export function ScriptPanel({ card }: ScriptPanelProps) {
  const { t } = useTranslation(SCRIPTS_NS);
  const run = useScriptRuns((s) => s.runs[card.key]);
  const { open, save } = useScriptRuns.getState();
  const [kb, setKb] = useState<KbView | null>(null);

  useEffect(() => {
    void open(card.key, card.callId, card.interactionId);
  }, [open, card.key, card.callId, card.interactionId]);

  // The call ended before the script did: what the agent went through is saved all the same.
  useEffect(() => {
    if (card.state === "ended") {
      void save(card.key);
    }
  }, [save, card.key, card.state]);

  return (
    <Stack gap="sm" mt="md" role="region" aria-label={t("title")}>
      <Divider label={t("title")} labelPosition="left" />
      <Group justify="space-between" gap="xs">
        <ScriptTitle run={run} />
        <Group gap="xs">
          <ScriptSwitch cardKey={card.key} current={run?.version?.scriptId ?? null} />
          <Button
            variant="light"
            size="xs"
            leftSection={<IconBook size={14} />}
            onClick={() => setKb({ kind: "search" })}
          >
            {t("kb")}
          </Button>
        </Group>
      </Group>
      {run ? (
        <RunBody
          card={card}
          run={run}
          onOpenArticle={(id) => setKb({ kind: "article", id, fromSearch: false })}
        />
      ) : null}
      <KbDrawer view={kb} onViewChange={setKb} />
    </Stack>
  );
}

function ScriptTitle({ run }: { run: CallRun | undefined }) {
  const { t } = useTranslation(SCRIPTS_NS);
  if (!run?.version) {
    return null;
  }
  return (
    <Group gap="xs">
      <Text fw={600}>{run.version.name}</Text>
      <Text size="sm" c="dimmed">
        {t("version", { version: run.version.version })}
      </Text>
      {run.isAssigned ? (
        <Badge variant="light" size="sm">
          {t("assigned")}
        </Badge>
      ) : null}
    </Group>
  );
}

function RunBody({
  card,
  run,
  onOpenArticle,
}: {
  card: Card;
  run: CallRun;
  onOpenArticle: (id: string) => void;
}) {
  const { t } = useTranslation(SCRIPTS_NS);
  const me = useAuth((s) => s.me);
  const { input, back, restart } = useScriptRuns.getState();
  const contact = useCallContact(card.contact);
  const definitions = useCaptureDefinitions(run.version?.graph ?? null);
  const captures = run.state?.captures;
  const data = useMemo(
    () => cardDataOf({ cardContact: card.contact, contact, me, captures: captures ?? [] }),
    [card.contact, contact, me, captures],
  );

  if (run.phase === "resolving") {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">{t("resolving")}</Text>
      </Group>
    );
  }
  if (!run.version || !run.state) {
    return run.phase === "failed" ? (
      <Alert color="red">{t("resolveFailed", { reason: run.error })}</Alert>
    ) : (
      <Text size="sm" c="dimmed">
        {t("none")}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {run.error ? <Alert color="red">{t("resolveFailed", { reason: run.error })}</Alert> : null}
      <NodeView
        graph={run.version.graph}
        state={run.state}
        data={data}
        definitions={definitions}
        onInput={(i) => input(card.key, i)}
        onOpenArticle={onOpenArticle}
      />
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconArrowBackUp size={14} />}
            disabled={run.state.answers.length === 0}
            onClick={() => back(card.key)}
          >
            {t("back")}
          </Button>
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconRefresh size={14} />}
            disabled={run.state.path.length <= 1 && run.state.answers.length === 0}
            onClick={() => restart(card.key)}
          >
            {t("restart")}
          </Button>
        </Group>
        {run.interactionId ? (
          <SaveStatusLine cardKey={card.key} run={run} />
        ) : (
          <Text size="xs" c="dimmed">
            {t("notSavedNoCall")}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/** «Сменить скрипт»: every published script the agent may run. */
function ScriptSwitch({ cardKey, current }: { cardKey: string; current: string | null }) {
  const { t } = useTranslation(SCRIPTS_NS);
  const [scripts, setScripts] = useState<ScriptSummary[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listScripts(controller.signal).then(setScripts, () => undefined);
    return () => controller.abort();
  }, []);
  const published = scripts.filter((s) => s.latestVersion && !s.isArchived);
  return (
    <Select
      size="xs"
      w={220}
      aria-label={t("switch")}
      placeholder={t("switch")}
      data={published.map((s) => ({ value: s.id, label: s.name }))}
      value={current}
      onChange={(id) => {
        const version = published.find((s) => s.id === id)?.latestVersion;
        if (version) {
          void useScriptRuns.getState().choose(cardKey, version.id);
        }
      }}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
