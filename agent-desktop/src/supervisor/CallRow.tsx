import { ActionIcon, Anchor, Badge, Table, Text, Tooltip } from "@mantine/core";
import type { CallLogItem, EndCause } from "@okno/contracts";
import { IconPhoneIncoming, IconPhoneOutgoing, IconPhone, IconPlayerPlay } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { formatDateTime, formatDuration, formatPhone } from "../ui/format.ts";
import { SUPERVISOR_NS } from "./i18n.ts";

const RESULT_COLOR: Record<EndCause, string> = {
  completed: "green",
  missed: "red",
  abandoned: "orange",
  busy: "yellow",
  failed: "gray",
};

const DIRECTION_ICON = { in: IconPhoneIncoming, out: IconPhoneOutgoing, internal: IconPhone } as const;

export interface CallRowProps {
  call: CallLogItem;
  onPlay: (call: CallLogItem) => void;
}

const dash = (
  <Text span c="dimmed">
    —
  </Text>
);

function seconds(value: number | null) {
  return value === null ? dash : formatDuration(value);
}

/** One call of the journal, in Russian formats: «5 мар., 14:30», «+7 (495) 123-45-67», «1:15». */
export function CallRow({ call, onPlay }: CallRowProps) {
  const { t } = useTranslation(SUPERVISOR_NS);
  const Direction = call.direction ? DIRECTION_ICON[call.direction] : null;
  const numberText =
    call.number !== null
      ? formatPhone(call.number)
      : call.direction === "internal"
        ? null
        : t("unknownNumber");

  return (
    <Table.Tr data-testid="call-row">
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDateTime(call.occurredAt)}</Table.Td>
      <Table.Td>
        {call.direction && Direction ? (
          <Tooltip label={t(`direction.${call.direction}`)}>
            <Direction size={18} aria-label={t(`direction.${call.direction}`)} />
          </Tooltip>
        ) : (
          dash
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{numberText ?? dash}</Table.Td>
      <Table.Td>
        {call.contact ? (
          <Anchor component={Link} href={`/contacts/${call.contact.id}`}>
            {call.contact.fullName}
          </Anchor>
        ) : (
          dash
        )}
      </Table.Td>
      <Table.Td>
        {call.agent.fullName}
        {call.agent.extension ? (
          <Text span size="xs" c="dimmed">
            {` · ${call.agent.extension}`}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td ff="monospace">{seconds(call.waitSec)}</Table.Td>
      <Table.Td ff="monospace">{seconds(call.durationSec)}</Table.Td>
      <Table.Td>
        {call.result ? (
          <Badge variant="light" color={RESULT_COLOR[call.result]} miw="max-content">
            {t(`result.${call.result}`)}
          </Badge>
        ) : (
          <Badge variant="dot" miw="max-content">
            {t("result.live")}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{call.disposition ?? dash}</Table.Td>
      <Table.Td>
        {call.sourceName ?? dash}
        {call.campaignName ? (
          <Text size="xs" c="dimmed">
            {call.campaignName}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        {call.hasRecording ? (
          <ActionIcon variant="light" aria-label={t("player.open")} onClick={() => onPlay(call)}>
            <IconPlayerPlay size={16} />
          </ActionIcon>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}
