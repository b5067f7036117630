import { ActionIcon, Badge, Card as Paper, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconX } from "@tabler/icons-react";
import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ScheduleCallbackButton } from "../callbacks/ScheduleCallbackButton.tsx";
import { formatPhone } from "../ui/format.ts";
import { WrapUpSlot } from "../wrapup/WrapUpSlot.tsx";
import type { Card } from "./applyEvent.ts";
import { CallerDetails } from "./CallerDetails.tsx";
import { cardTitle, directionLabel, isUnknownCaller } from "./cardLabels.ts";
import { useCalls } from "./callStore.ts";
import { HandoverNote } from "./HandoverNote.tsx";
import { TRANSFER_NS } from "./transferI18n.ts";
import { markVisible } from "./popTiming.ts";
import { CallScript } from "../scripts/CallScript.tsx";
import { UnknownCaller } from "./UnknownCaller.tsx";

// The note for a consulted colleague needs the softphone's lines (sip.js): it loads with the softphone,
// never ahead of the first card.
const HandoverForm = lazy(() => import("./HandoverForm.tsx").then((m) => ({ default: m.HandoverForm })));

export interface IncomingCallCardProps {
  card: Card;
}

const STATE_COLOR = { ringing: "orange", answered: "green", held: "yellow", ended: "gray" } as const;

/** The screen pop: who is calling and everything worth knowing before saying «Здравствуйте». */
export function IncomingCallCard({ card }: IncomingCallCardProps) {
  const { t } = useTranslation();
  const dismiss = useCalls((s) => s.dismiss);
  // A colleague's consult call: its caller id is the colleague, the client comes with the handover.
  const title =
    card.handover && !card.contact && card.number === null
      ? t("waitingClient", { ns: TRANSFER_NS })
      : cardTitle(card, t);

  useEffect(() => {
    // The frame after the commit is when the agent can see it.
    const frame = requestAnimationFrame(() => markVisible(card.key));
    return () => cancelAnimationFrame(frame);
  }, [card.key]);

  return (
    <Paper withBorder shadow="sm" radius="md" p="md" aria-label={t("call.card")} data-call-key={card.key}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {directionLabel(card, t)}
            </Text>
            <Badge color={STATE_COLOR[card.state]} variant="light">
              {t(`call.${card.state}`)}
            </Badge>
            {card.origin === "sip" && card.callId === null ? (
              <Badge color="gray" variant="outline" size="xs">
                {t("call.viaSip")}
              </Badge>
            ) : null}
          </Group>
          <Title order={3}>{title}</Title>
          {card.number && title !== formatPhone(card.number) ? (
            <Text size="sm">{formatPhone(card.number)}</Text>
          ) : null}
        </Stack>
        {card.state === "ended" ? (
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={() => dismiss(card.key)}
            aria-label={t("call.close")}
          >
            <IconX size={18} />
          </ActionIcon>
        ) : null}
      </Group>
      {card.handover ? <HandoverNote handover={card.handover} /> : null}
      <Suspense fallback={null}>
        <HandoverForm card={card} />
      </Suspense>
      <CallSource card={card} />
      <ScheduleCallbackButton card={card} />
      {card.contact === undefined && card.state !== "ended" ? <Loader size="sm" mt="sm" /> : null}
      {card.contact?.hidden ? (
        <Stack gap={2} mt="sm">
          <Text fw={500}>{t("call.hiddenContact", { owner: card.contact.ownerName })}</Text>
          <Text size="sm" c="dimmed">
            {t("call.hiddenHint")}
          </Text>
        </Stack>
      ) : null}
      {card.contact && !card.contact.hidden ? <CallerDetails card={card} contact={card.contact} /> : null}
      {isUnknownCaller(card) ? <UnknownCaller card={card} /> : null}
      <CallScript card={card} />
      <WrapUpSlot card={card} />
    </Paper>
  );
}

function CallSource({ card }: { card: Card }) {
  const { t } = useTranslation();
  if (!card.source && !card.campaign && !card.line) {
    return null;
  }
  return (
    <Group gap="xs" mt="xs">
      {card.source ? (
        <Badge variant="light" color="blue">
          {t("call.source")}: {card.source}
        </Badge>
      ) : null}
      {card.campaign ? (
        <Badge variant="light" color="grape">
          {t("call.campaign")}: {card.campaign}
        </Badge>
      ) : null}
      {card.line ? (
        <Text size="xs" c="dimmed">
          {t("call.line")}: {formatPhone(card.line)}
        </Text>
      ) : null}
    </Group>
  );
}
