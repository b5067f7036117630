import { Button, Group, Loader, Modal } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconCalendarTime } from "@tabler/icons-react";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import type { Card } from "../calls/applyEvent.ts";
import { PROVISIONAL_CONTACT_NAME } from "../calls/cardLabels.ts";
import { CALLBACKS_NS } from "./i18n.ts";

// The form (with the calendar) loads when the agent first schedules a callback, not with the call card.
const ScheduleCallbackForm = lazy(() =>
  import("./ScheduleCallbackForm.tsx").then((m) => ({ default: m.ScheduleCallbackForm })),
);

/** The numbers a call can be returned to: the one that called first, then the contact's others. */
export function callbackPhones(card: Card): string[] {
  const known = card.contact && !card.contact.hidden ? card.contact.phones : [];
  const own = card.number?.startsWith("+") && card.direction !== "internal" ? [card.number] : [];
  return [...new Set([...own, ...known])];
}

/** «Запланировать перезвон» on the call card: the client asked to be called later. */
export function ScheduleCallbackButton({ card }: { card: Card }) {
  const { t } = useTranslation(CALLBACKS_NS);
  const [opened, { open, close }] = useDisclosure();
  const phones = callbackPhones(card);
  if (phones.length === 0) {
    return null;
  }
  const contact = card.contact && !card.contact.hidden ? card.contact : null;
  const name = contact && contact.fullName !== PROVISIONAL_CONTACT_NAME ? contact.fullName : null;
  return (
    <Group mt="xs">
      <Button
        size="xs"
        variant="light"
        color="orange"
        leftSection={<IconCalendarTime size={14} />}
        onClick={open}
      >
        {t("schedule.open")}
      </Button>
      <Modal opened={opened} onClose={close} title={t("schedule.title")}>
        <Suspense fallback={<Loader size="sm" />}>
          <ScheduleCallbackForm
            phones={phones}
            contactId={contact?.id ?? null}
            name={name}
            onScheduled={close}
          />
        </Suspense>
      </Modal>
    </Group>
  );
}
