import { Alert, Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { CallHandoverResult } from "@okno/contracts";
import { IconSend } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, describeError } from "../api.ts";
import { flushLegReports } from "../softphone/callReporting.ts";
import { useSoftphone } from "../softphone/softphoneStore.ts";
import type { Card } from "./card.ts";
import { shareableCallId } from "./softphoneCalls.ts";
import { TRANSFER_NS } from "./transferI18n.ts";

/** crm-api hands calls over to colleagues by extension (CallHandover.toExtension). */
const EXTENSION = /^\d{2,8}$/;

/** While the agent consults a colleague about this call: the extension being consulted, if any. */
function useConsultedExtension(card: Card): string | undefined {
  return useSoftphone((s) => {
    const consult = s.lines.find((l) => card.lineId !== null && l.consultFor === card.lineId);
    return consult && EXTENSION.test(consult.number) ? consult.number : undefined;
  });
}

/**
 * A note for the colleague the agent is consulting (warm transfer): it lands on the colleague's card
 * before the customer does, and on the client's timeline (POST /calls/handover).
 */
export function HandoverForm({ card }: { card: Card }) {
  const toExtension = useConsultedExtension(card);
  const callId = shareableCallId(card);
  if (!toExtension || !callId || card.state === "ended") {
    return null;
  }
  return <NoteForm key={toExtension} callId={callId} toExtension={toExtension} />;
}

function NoteForm({ callId, toExtension }: { callId: string; toExtension: string }) {
  const { t } = useTranslation(TRANSFER_NS);
  const [note, setNote] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The note is filed against the call: crm-api must know the call (our leg reports) first.
      await flushLegReports();
      await api("POST", "/calls/handover", {
        body: { toExtension, callId, note: note.trim() },
        schema: CallHandoverResult,
        quiet: true,
      });
      setSent(note.trim());
      setNote("");
    } catch (err) {
      setError(err instanceof ApiError ? describeError(err) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void handleSubmit(e)}>
      <Stack gap="xs" mt="sm">
        <Textarea
          label={t("noteFor", { who: toExtension })}
          placeholder={t("notePlaceholder")}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          rows={2}
          maxLength={2000}
        />
        {error ? (
          <Text size="sm" c="red">
            {error}
          </Text>
        ) : null}
        {sent ? (
          <Alert color="green" variant="light" p="xs" title={t("sent")}>
            {sent}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button
            type="submit"
            size="xs"
            loading={busy}
            disabled={note.trim() === ""}
            leftSection={<IconSend size={14} />}
          >
            {t("send")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
