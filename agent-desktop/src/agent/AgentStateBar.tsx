import { Button, Group, Menu, Modal, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { PauseReason, type AgentState, type AgentStatePut } from "@okno/contracts";
import { IconAlertTriangle, IconChevronDown, IconCircleFilled } from "@tabler/icons-react";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { askNotificationPermission } from "../softphone/callNotification.ts";
import { formatDuration } from "../ui/format.ts";
import { useAgentState } from "./agentStore.ts";
import { AGENT_NS } from "./i18n.ts";
import { secondsSince, useNow } from "./useNow.ts";

export const STATE_COLOR = { available: "green", paused: "yellow", acw: "blue", offline: "gray" } as const;

/** «Пауза: Обед», «После звонка»…: what the agent (and the tray) reads. */
export function stateLabel(state: Pick<AgentState, "state" | "reason">, t: (key: string) => string): string {
  return state.state === "paused" && state.reason
    ? `${t("state.paused")}: ${t(`reason.${state.reason}`)}`
    : t(`state.${state.state}`);
}

/**
 * The header's availability switch: the state with a live timer, a menu to change it, and a warning
 * when the PBX did not follow. On a phone it shrinks to the coloured dot and the timer.
 */
export function AgentStateBar() {
  const { t } = useTranslation(AGENT_NS);
  const { current, pbxError, busy, load, change } = useAgentState();
  const now = useNow(current !== null);
  const [noteOpened, note] = useDisclosure();

  useEffect(() => {
    void load().catch(() => undefined);
  }, [load]);

  if (!current) {
    return null;
  }
  const handleChange = (put: AgentStatePut) => {
    // A click is a user gesture: the moment browsers allow asking for notifications (callback reminders).
    void askNotificationPermission();
    void change(put).catch(() => undefined);
  };
  const label = stateLabel(current, t);
  return (
    <Group gap={4} wrap="nowrap">
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            size="xs"
            variant="light"
            color={STATE_COLOR[current.state]}
            loading={busy}
            leftSection={<IconCircleFilled size={10} />}
            rightSection={<IconChevronDown size={14} />}
            aria-label={`${t("change")}: ${label}`}
          >
            <Text span size="xs" fw={600} visibleFrom="xs" mr={6}>
              {label}
            </Text>
            <Text span size="xs" ff="monospace" data-testid="agent-state-timer">
              {formatDuration(secondsSince(current.since, now))}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => handleChange({ state: "available" })}>{t("state.available")}</Menu.Item>
          <Menu.Divider />
          <Menu.Label>{t("state.paused")}</Menu.Label>
          {PauseReason.options.map((reason) => (
            <Menu.Item
              key={reason}
              onClick={() => (reason === "other" ? note.open() : handleChange({ state: "paused", reason }))}
            >
              {t(`reason.${reason}`)}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => handleChange({ state: "offline" })}>{t("state.offline")}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {pbxError !== null ? (
        <Tooltip label={t("pbxNotApplied", { error: pbxError || t("pbxUnknownError") })}>
          <IconAlertTriangle
            size={18}
            color="var(--mantine-color-orange-6)"
            role="img"
            aria-label={t("pbxNotApplied", { error: pbxError || t("pbxUnknownError") })}
          />
        </Tooltip>
      ) : null}
      <Modal opened={noteOpened} onClose={note.close} title={`${t("state.paused")}: ${t("reason.other")}`}>
        <OtherPauseForm
          onSubmit={(text) => {
            note.close();
            handleChange({ state: "paused", reason: "other", ...(text ? { note: text } : {}) });
          }}
        />
      </Modal>
    </Group>
  );
}

function OtherPauseForm({ onSubmit }: { onSubmit: (note: string) => void }) {
  const { t } = useTranslation(AGENT_NS);
  const [text, setText] = useState("");
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(text.trim());
  };
  return (
    <form onSubmit={handleSubmit}>
      <Stack>
        <TextInput
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder={t("notePlaceholder")}
          maxLength={200}
          data-autofocus
        />
        <Button type="submit">{t("noteSave")}</Button>
      </Stack>
    </form>
  );
}
