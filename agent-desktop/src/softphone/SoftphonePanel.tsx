import { Alert, Badge, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { IconPhone } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { askNotificationPermission } from "./callNotification.ts";
import { DialPad } from "./DialPad.tsx";
import { SOFTPHONE_NS } from "./i18n.ts";
import { LineCard } from "./LineCard.tsx";
import type { RegistrationState } from "./registration.ts";
import { useSoftphone } from "./softphoneStore.ts";

const STATUS_COLOR: Record<RegistrationState["status"], string> = {
  offline: "gray",
  connecting: "blue",
  registered: "green",
  reconnecting: "orange",
  failed: "red",
};

function RegistrationBadge({
  registration,
  available,
}: {
  registration: RegistrationState;
  available: boolean;
}) {
  const { t } = useTranslation(SOFTPHONE_NS);
  if (!available) {
    return (
      <Text size="sm" c="dimmed">
        {t("status.unavailable")}
      </Text>
    );
  }
  const text =
    registration.status === "reconnecting" && registration.attempts > 0
      ? t("status.reconnectingAttempt", { attempt: registration.attempts })
      : t(`status.${registration.status}`);
  return (
    <Badge
      color={STATUS_COLOR[registration.status]}
      variant="dot"
      data-testid="softphone-status"
      data-status={registration.status}
      title={registration.reason}
    >
      {text}
    </Badge>
  );
}

/**
 * The softphone in the side column: registration state (a network drop is shown, not hidden), the lines,
 * and a number field with a keypad. It registers when the agent's desktop opens and stops on logout.
 */
export function SoftphonePanel() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const registration = useSoftphone((s) => s.registration);
  const lines = useSoftphone((s) => s.lines);
  const available = useSoftphone((s) => s.available);
  const error = useSoftphone((s) => s.error);
  const [number, setNumber] = useState("");

  useEffect(() => {
    void useSoftphone.getState().connect();
    return () => void useSoftphone.getState().disconnect();
  }, []);

  const handleDial = () => {
    void askNotificationPermission();
    void useSoftphone.getState().dial(number);
    setNumber("");
  };

  return (
    <Stack gap="xs" data-testid="softphone">
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600}>{t("title")}</Text>
        <RegistrationBadge registration={registration} available={available} />
      </Group>
      {registration.status === "failed" ? (
        <Button size="xs" variant="light" onClick={() => void useSoftphone.getState().connect()}>
          {t("action.retry")}
        </Button>
      ) : null}
      {lines.map((line) => (
        <LineCard key={line.id} line={line} />
      ))}
      {error ? (
        <Alert color="red" variant="light" p="xs" data-testid="softphone-error">
          {error}
        </Alert>
      ) : null}
      {available && lines.length < 2 ? (
        <Stack gap={4}>
          <TextInput
            placeholder={t("dialPlaceholder")}
            value={number}
            onChange={(event) => setNumber(event.currentTarget.value)}
            onKeyDown={(event) => event.key === "Enter" && number && handleDial()}
            aria-label={t("dialPlaceholder")}
            data-testid="softphone-number"
          />
          <DialPad onPress={(key) => setNumber((current) => current + key)} />
          <Button
            color="green"
            leftSection={<IconPhone size={16} />}
            disabled={!number || registration.status !== "registered"}
            onClick={handleDial}
          >
            {t("action.call")}
          </Button>
        </Stack>
      ) : null}
    </Stack>
  );
}
