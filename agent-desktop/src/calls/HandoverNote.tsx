import { Alert, Text } from "@mantine/core";
import { IconArrowsExchange } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { CardHandover } from "./card.ts";
import { TRANSFER_NS } from "./transferI18n.ts";

/** The colleague's side of a warm transfer: who is putting the call through, and their note, first. */
export function HandoverNote({ handover }: { handover: CardHandover }) {
  const { t } = useTranslation(TRANSFER_NS);
  const who = handover.fromExt
    ? t("fromExt", { name: handover.fromName, ext: handover.fromExt })
    : handover.fromName;
  return (
    <Alert
      mt="sm"
      color="grape"
      variant="light"
      icon={<IconArrowsExchange size={20} />}
      title={t("from", { name: who })}
      data-testid="handover-note"
    >
      {handover.note ? (
        <Text size="md" fw={500} style={{ whiteSpace: "pre-line" }}>
          {handover.note}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t("noNote")}
        </Text>
      )}
    </Alert>
  );
}
