import { Anchor, Badge, Button, Stack, Table, Text } from "@mantine/core";
import type { MissedCall } from "@okno/contracts";
import { IconPhoneOutgoing } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { dial } from "../calls/dial.ts";
import { formatDateTime, formatDuration, formatPhone } from "../ui/format.ts";
import { CALLBACKS_NS } from "./i18n.ts";

export interface MissedCallRowProps {
  call: MissedCall;
}

/** One missed call: who, when, how long they waited, and a one-click call back or who already called. */
export function MissedCallRow({ call }: MissedCallRowProps) {
  const { t } = useTranslation(CALLBACKS_NS);
  return (
    <Table.Tr data-testid="missed-call" data-status={call.calledBack ? "done" : "pending"}>
      <Table.Td>
        <Stack gap={2}>
          <Text fw={500} style={{ whiteSpace: "nowrap" }}>
            {call.number ? formatPhone(call.number) : t("hiddenNumber")}
          </Text>
          {call.result === "missed" || call.result === "abandoned" ? (
            <Badge size="xs" variant="light" color={call.result === "abandoned" ? "red" : "orange"}>
              {t(`result.${call.result}`)}
            </Badge>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        {call.contact ? (
          <Anchor component={Link} href={`/contacts/${call.contact.id}`}>
            {call.contact.fullName}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t("noContact")}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDateTime(call.occurredAt)}</Table.Td>
      <Table.Td>{call.waitSec === null ? "—" : formatDuration(call.waitSec)}</Table.Td>
      <Table.Td>
        {call.calledBack ? <CalledBack call={call} /> : <CallBackButton number={call.number} />}
      </Table.Td>
    </Table.Tr>
  );
}

function CalledBack({ call }: { call: MissedCall }) {
  const { t } = useTranslation(CALLBACKS_NS);
  const back = call.calledBack;
  if (!back) {
    return null;
  }
  const how = back.via === "task" ? t("byTask") : back.answered ? t("answered") : t("notAnswered");
  return (
    <Stack gap={0}>
      <Text size="sm">{t("calledBack", { name: back.by.fullName, at: formatDateTime(back.at) })}</Text>
      <Text size="xs" c={back.via === "call" && !back.answered ? "orange" : "dimmed"}>
        {how}
      </Text>
    </Stack>
  );
}

function CallBackButton({ number }: { number: string | null }) {
  const { t } = useTranslation(CALLBACKS_NS);
  const [busy, setBusy] = useState(false);
  if (!number) {
    return null;
  }
  const handleClick = () => {
    setBusy(true);
    dial(number)
      .catch(() => undefined)
      .finally(() => setBusy(false));
  };
  return (
    <Button
      size="xs"
      variant="light"
      color="green"
      leftSection={<IconPhoneOutgoing size={14} />}
      loading={busy}
      onClick={handleClick}
      title={t("callBackTo", { phone: formatPhone(number) })}
    >
      {t("callBack")}
    </Button>
  );
}
