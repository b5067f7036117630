import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useCalls } from "./callStore.ts";
import { IncomingCallCard } from "./IncomingCallCard.tsx";

/** Every call card, newest first, above whatever page the agent is on: a ringing call never hides. */
export function CallCards() {
  const cards = useCalls((s) => s.cards);
  if (cards.length === 0) {
    return null;
  }
  return (
    <Stack gap="md" mb="lg" role="region" aria-live="polite">
      {cards.map((card) => (
        <IncomingCallCard key={card.key} card={card} />
      ))}
    </Stack>
  );
}

/** The start page: the cards show above it; with no call it says what will happen. */
export function CallsPage() {
  const { t } = useTranslation();
  const count = useCalls((s) => s.cards.length);
  return count === 0 ? (
    <Text c="dimmed" ta="center" mt="xl">
      {t("call.noCalls")}
    </Text>
  ) : null;
}
