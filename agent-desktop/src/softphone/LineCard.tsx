import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Popover,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import {
  IconArrowBackUp,
  IconArrowForwardUp,
  IconDialpad,
  IconMicrophone,
  IconMicrophoneOff,
  IconPhone,
  IconPhoneOff,
  IconPlayerPause,
  IconPlayerPlay,
  IconUsers,
} from "@tabler/icons-react";
import { normalizePhone } from "@okno/contracts";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatPhone } from "../ui/format.ts";
import { DialPad } from "./DialPad.tsx";
import { SOFTPHONE_NS } from "./i18n.ts";
import type { Line } from "./lines.ts";
import { useSoftphone } from "./softphoneStore.ts";

const STATUS_COLOR: Record<Line["status"], string> = {
  incoming: "green",
  dialing: "blue",
  active: "teal",
  held: "orange",
  ended: "gray",
};

/** `89123456789` → `+7 (912) 345-67-89`; extensions and foreign oddities stay as signalled. */
function displayNumber(number: string): string | undefined {
  if (number === "") {
    return undefined;
  }
  return number.replace(/\D/g, "").length >= 10 ? formatPhone(normalizePhone(number) ?? number) : number;
}

/** One line: who, what state, and the buttons that make sense in that state. */
export function LineCard({ line }: { line: Line }) {
  const { t } = useTranslation(SOFTPHONE_NS);
  const actions = useSoftphone.getState();
  const [target, setTarget] = useState("");
  const talking = line.status === "active" || line.status === "held";
  const label = line.consultFor ? t("line.consult") : t(`line.${line.status}`);

  return (
    <Card withBorder padding="xs" data-testid={`softphone-line-${line.status}`} data-line-id={line.id}>
      <Badge color={STATUS_COLOR[line.status]} variant="light" mb={4}>
        {line.transfer !== "none" ? t("line.transferring") : label}
      </Badge>
      <Text fw={600} data-testid="softphone-line-number">
        {displayNumber(line.number) ?? t("unknownCaller")}
      </Text>
      {line.displayName ? (
        <Text size="xs" c="dimmed" truncate>
          {line.displayName}
        </Text>
      ) : null}

      {line.status === "incoming" ? (
        <Group grow mt="xs">
          <Button
            color="green"
            leftSection={<IconPhone size={16} />}
            onClick={() => void actions.answer(line.id)}
          >
            {t("action.answer")}
          </Button>
          <Button color="red" variant="light" onClick={() => void actions.reject(line.id)}>
            {t("action.reject")}
          </Button>
        </Group>
      ) : (
        <Group gap={4} mt="xs" wrap="nowrap">
          <Tooltip label={t("action.hangup")}>
            <ActionIcon
              color="red"
              size="lg"
              onClick={() => void actions.hangup(line.id)}
              aria-label={t("action.hangup")}
            >
              <IconPhoneOff size={18} />
            </ActionIcon>
          </Tooltip>
          {talking ? (
            <>
              <Tooltip label={line.muted ? t("action.unmute") : t("action.mute")}>
                <ActionIcon
                  variant={line.muted ? "filled" : "default"}
                  size="lg"
                  onClick={() => actions.toggleMute(line.id)}
                  aria-label={line.muted ? t("action.unmute") : t("action.mute")}
                >
                  {line.muted ? <IconMicrophoneOff size={18} /> : <IconMicrophone size={18} />}
                </ActionIcon>
              </Tooltip>
              <Tooltip label={line.status === "held" ? t("action.unhold") : t("action.hold")}>
                <ActionIcon
                  variant={line.status === "held" ? "filled" : "default"}
                  size="lg"
                  onClick={() => void actions.toggleHold(line.id)}
                  aria-label={line.status === "held" ? t("action.unhold") : t("action.hold")}
                >
                  {line.status === "held" ? <IconPlayerPlay size={18} /> : <IconPlayerPause size={18} />}
                </ActionIcon>
              </Tooltip>
              <Popover position="bottom" withArrow>
                <Popover.Target>
                  <ActionIcon variant="default" size="lg" aria-label={t("action.keypad")}>
                    <IconDialpad size={18} />
                  </ActionIcon>
                </Popover.Target>
                <Popover.Dropdown>
                  <DialPad onPress={(key) => void actions.sendDtmf(line.id, key)} />
                </Popover.Dropdown>
              </Popover>
            </>
          ) : null}
        </Group>
      )}

      {line.consultFor && line.status === "active" ? (
        <Stack gap={4} mt="xs">
          <Button
            leftSection={<IconUsers size={16} />}
            onClick={() => void actions.completeTransfer(line.id)}
          >
            {t("action.completeTransfer")}
          </Button>
          <Button
            variant="light"
            leftSection={<IconArrowBackUp size={16} />}
            onClick={() => void actions.cancelConsult(line.id)}
          >
            {t("action.cancelConsult")}
          </Button>
        </Stack>
      ) : null}

      {talking && !line.consultFor && line.transfer === "none" ? (
        <Stack gap={4} mt="xs">
          <TextInput
            size="xs"
            placeholder={t("transferPlaceholder")}
            value={target}
            onChange={(event) => setTarget(event.currentTarget.value)}
            aria-label={t("transferPlaceholder")}
          />
          <Stack gap={4}>
            <Button
              size="xs"
              variant="default"
              disabled={!target}
              leftSection={<IconUsers size={14} />}
              onClick={() => void actions.startConsult(line.id, target)}
            >
              {t("action.consult")}
            </Button>
            <Button
              size="xs"
              variant="default"
              disabled={!target}
              leftSection={<IconArrowForwardUp size={14} />}
              onClick={() => void actions.blindTransfer(line.id, target)}
            >
              {t("action.blindTransfer")}
            </Button>
          </Stack>
        </Stack>
      ) : null}
    </Card>
  );
}
