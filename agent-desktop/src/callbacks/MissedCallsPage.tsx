import { Button, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CALLBACKS_NS } from "./i18n.ts";
import { MissedCallRow } from "./MissedCallRow.tsx";
import { useMissedCalls, type MissedFilter } from "./useMissedCalls.ts";

const FILTERS: MissedFilter[] = ["pending", "done", "all"];

/**
 * Inbound calls nobody answered, in the user's scope: those still waiting for a call back first (one click
 * dials through the softphone), and those someone already called back, with who, when and whether the
 * client picked up. The list follows calls and tasks as they change.
 */
export function MissedCallsPage() {
  const { t } = useTranslation(CALLBACKS_NS);
  const [filter, setFilter] = useState<MissedFilter>("pending");
  const { items, isLoading, hasMore, loadMore } = useMissedCalls(filter);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("title")}</Title>
        <SegmentedControl
          value={filter}
          onChange={(value) => setFilter(FILTERS.find((f) => f === value) ?? "pending")}
          data={FILTERS.map((value) => ({ value, label: t(`filter.${value}`) }))}
          aria-label={t("filter.label")}
        />
      </Group>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("column.number")}</Table.Th>
                <Table.Th>{t("column.contact")}</Table.Th>
                <Table.Th>{t("column.at")}</Table.Th>
                <Table.Th>{t("column.waited")}</Table.Th>
                <Table.Th>{t("column.callBack")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((call) => (
                <MissedCallRow key={call.id} call={call} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {isLoading ? <Loader size="sm" /> : null}
      {!isLoading && items.length === 0 ? <Text c="dimmed">{t(`empty.${filter}`)}</Text> : null}
      {hasMore ? (
        <Button variant="subtle" onClick={loadMore} disabled={isLoading}>
          {t("more")}
        </Button>
      ) : null}
    </Stack>
  );
}
