import { Alert, Button, Loader, Modal, Stack, Table, Text, Title } from "@mantine/core";
import type { CallLogItem } from "@okno/contracts";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "wouter";
import { useAuth } from "../auth/authStore.ts";
import { formatDateTime, formatPhone } from "../ui/format.ts";
import { readFilters, writeFilters, type CallFilters } from "./callFilters.ts";
import { CallFiltersBar } from "./CallFiltersBar.tsx";
import { CallRow } from "./CallRow.tsx";
import { canSupervise } from "./canSupervise.ts";
import { SUPERVISOR_NS } from "./i18n.ts";
import { RecordingPlayer } from "./RecordingPlayer.tsx";
import { useCallLog } from "./useCallLog.ts";

const COLUMNS = [
  "time",
  "direction",
  "number",
  "contact",
  "agent",
  "wait",
  "talk",
  "result",
  "disposition",
  "source",
  "recording",
] as const;

/** /supervisor/calls: the lazy entry of the calls journal. */
export function CallsJournalPage() {
  const { t } = useTranslation(SUPERVISOR_NS);
  const me = useAuth((s) => s.me);
  if (!canSupervise(me)) {
    return <Alert color="gray">{t("noAccess")}</Alert>;
  }
  return <CallsJournal />;
}

function CallsJournal() {
  const { t } = useTranslation(SUPERVISOR_NS);
  const [search, setSearch] = useSearchParams();
  const filters = readFilters(search);
  const { items, isLoading, hasMore, loadMore } = useCallLog(filters);
  const [playing, setPlaying] = useState<CallLogItem | null>(null);

  // Replacing the history entry: going back leaves the journal instead of undoing one filter at a time.
  const handleFilters = (next: CallFilters) => setSearch(writeFilters(next), { replace: true });

  return (
    <Stack>
      <Title order={2}>{t("journal.title")}</Title>
      <CallFiltersBar filters={filters} onChange={handleFilters} />
      <Table.ScrollContainer minWidth={1300}>
        <Table highlightOnHover verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((c) => (
                <Table.Th key={c}>{t(`column.${c}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((call) => (
              <CallRow key={call.id} call={call} onPlay={setPlaying} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {isLoading ? <Loader size="sm" /> : null}
      {!isLoading && items.length === 0 ? <Text c="dimmed">{t("journal.empty")}</Text> : null}
      {hasMore && !isLoading ? (
        <Button variant="subtle" onClick={loadMore}>
          {t("journal.more")}
        </Button>
      ) : null}
      <Modal
        opened={playing !== null}
        onClose={() => setPlaying(null)}
        title={playing ? playerTitle(playing, t) : ""}
        size="lg"
      >
        {playing ? <RecordingPlayer interactionId={playing.id} /> : null}
      </Modal>
    </Stack>
  );
}

function playerTitle(call: CallLogItem, t: (key: string) => string): string {
  const who = call.contact?.fullName ?? (call.number ? formatPhone(call.number) : null);
  return [t("player.title"), formatDateTime(call.occurredAt), who].filter(Boolean).join(" · ");
}
