import { Button, Group, Loader, Text } from "@mantine/core";
import { IconCheck, IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { SCRIPTS_NS } from "./i18n.ts";
import { useScriptRuns, type CallRun } from "./runStore.ts";

/** Whether the answers reached the interaction: the agent must see a failure before the call is gone. */
export function SaveStatusLine({ cardKey, run }: { cardKey: string; run: CallRun }) {
  const { t } = useTranslation(SCRIPTS_NS);
  const save = run.save;
  switch (save.kind) {
    case "idle":
      return null;
    case "saving":
      return (
        <Group gap={6}>
          <Loader size="xs" />
          <Text size="sm">{t("saveStatus.saving")}</Text>
        </Group>
      );
    case "saved":
      return (
        <Group gap={6} role="status">
          <IconCheck size={16} color="var(--mantine-color-green-7)" />
          <Text size="sm" c="green.8">
            {save.run.captures.length > 0
              ? t("saveStatus.savedCaptures", { count: save.run.captures.length })
              : t("saveStatus.saved")}
          </Text>
        </Group>
      );
    case "failed":
      return (
        <Group gap={6} role="alert">
          <IconAlertTriangle size={16} color="var(--mantine-color-red-7)" />
          <Text size="sm" c="red.8" style={{ whiteSpace: "pre-line" }}>
            {t("saveStatus.failed", { reason: save.message })}
          </Text>
          <Button
            size="compact-xs"
            variant="light"
            color="red"
            onClick={() => void useScriptRuns.getState().save(cardKey)}
          >
            {t("saveStatus.retry")}
          </Button>
        </Group>
      );
  }
}
