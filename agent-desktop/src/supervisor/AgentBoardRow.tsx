import { Badge, Group, Stack, Table, Text } from "@mantine/core";
import type { AgentBoardItem, BoardCall } from "@okno/contracts";
import { IconPhoneIncoming, IconPhoneOutgoing, IconPhone } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { STATE_COLOR, stateLabel } from "../agent/AgentStateBar.tsx";
import { AGENT_NS } from "../agent/i18n.ts";
import { secondsSince } from "../agent/useNow.ts";
import { formatDuration, formatPhone } from "../ui/format.ts";
import { SUPERVISOR_NS } from "./i18n.ts";
import { SuperviseButtons } from "./SuperviseButtons.tsx";

const CALL_COLOR = { ringing: "orange", answered: "green", held: "yellow", ended: "gray" } as const;
const DIRECTION_ICON = { in: IconPhoneIncoming, out: IconPhoneOutgoing, internal: IconPhone } as const;

export interface AgentBoardRowProps {
  agent: AgentBoardItem;
  /** The board's clock (ms), so every timer ticks together. */
  now: number;
}

/** One agent: state with its timer, today's counts, and each call they are on with listen/whisper/barge. */
export function AgentBoardRow({ agent, now }: AgentBoardRowProps) {
  const { t } = useTranslation(SUPERVISOR_NS);
  const { t: tAgent } = useTranslation(AGENT_NS);
  return (
    <Table.Tr data-testid={`agent-${agent.userId}`}>
      <Table.Td miw={200}>
        <Text fw={500}>{agent.fullName}</Text>
        {agent.extension ? (
          <Text size="xs" c="dimmed">
            {agent.extension}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={STATE_COLOR[agent.state]} miw="max-content">
          {stateLabel(agent, tAgent)}
        </Badge>
        {agent.note ? (
          <Text size="xs" c="dimmed">
            {agent.note}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td ff="monospace" data-testid="state-timer">
        {formatDuration(secondsSince(agent.since, now))}
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
          {t("board.todayCounts", { answered: agent.answeredToday, missed: agent.missedToday })}
        </Text>
      </Table.Td>
      <Table.Td>
        {agent.calls.length === 0 ? (
          <Text c="dimmed">{t("board.noCalls")}</Text>
        ) : (
          <Stack gap="sm">
            {agent.calls.map((call) => (
              <BoardCallLine key={call.callId} call={call} now={now} />
            ))}
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function BoardCallLine({ call, now }: { call: BoardCall; now: number }) {
  const { t } = useTranslation(SUPERVISOR_NS);
  const Direction = call.direction ? DIRECTION_ICON[call.direction] : IconPhone;
  // Ringing: how long it has rung; on the call: talk time since the answer.
  const timer = secondsSince(call.answeredAt ?? call.startedAt, now);
  const isLive = call.state === "answered" || call.state === "held";
  return (
    <Stack gap={4} data-testid={`call-${call.callId}`}>
      <Group gap="xs" wrap="nowrap">
        <Direction size={16} aria-label={call.direction ? t(`direction.${call.direction}`) : undefined} />
        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
          {call.party ? formatPhone(call.party) : t("unknownNumber")}
        </Text>
        <Badge size="sm" variant="light" color={CALL_COLOR[call.state]} miw="max-content">
          {t(`board.callState.${call.state}`)}
        </Badge>
        <Text size="sm" ff="monospace">
          {formatDuration(timer)}
        </Text>
      </Group>
      {isLive ? <SuperviseButtons callId={call.callId} /> : null}
    </Stack>
  );
}
