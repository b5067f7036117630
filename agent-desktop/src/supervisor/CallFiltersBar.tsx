import { Button, Group, SegmentedControl, Select, TextInput } from "@mantine/core";
import { CallDirection, EndCause } from "@okno/contracts";
import { IconFilterOff } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useLoad } from "../ui/useLoad.ts";
import { loadSources } from "../wrapup/sources.ts";
import { isRangeReversed, type CallFilters } from "./callFilters.ts";
import { SUPERVISOR_NS } from "./i18n.ts";
import { fetchActiveUsers } from "./supervisorApi.ts";

export interface CallFiltersBarProps {
  filters: CallFilters;
  onChange: (next: CallFilters) => void;
}

/** Drops a key rather than keeping it as undefined, so the URL and the query stay minimal. */
function withValue<K extends keyof CallFilters>(f: CallFilters, key: K, value: CallFilters[K] | null) {
  const next = { ...f };
  if (value) {
    next[key] = value;
  } else {
    delete next[key];
  }
  return next;
}

/**
 * The journal's filters. Without the source list (GET /sources failed) the source filter stays hidden;
 * a shared link with `sourceId` still filters.
 */
export function CallFiltersBar({ filters, onChange }: CallFiltersBarProps) {
  const { t } = useTranslation(SUPERVISOR_NS);
  const users = useLoad((signal) => fetchActiveUsers(signal), []);
  const sources = useLoad(() => loadSources(), []);
  const set = <K extends keyof CallFilters>(key: K, value: CallFilters[K] | null) =>
    onChange(withValue(filters, key, value));
  const hasFilters = Object.keys(filters).length > 0;

  return (
    <Group align="flex-end" gap="sm">
      <Select
        label={t("filter.agent")}
        placeholder={t("filter.anyAgent")}
        data={(users.data ?? []).map((u) => ({
          value: u.id,
          label: u.extension ? `${u.fullName} · ${u.extension}` : u.fullName,
        }))}
        value={filters.agentId ?? null}
        onChange={(value) => set("agentId", value)}
        searchable
        clearable
        nothingFoundMessage="—"
        w={240}
      />
      <TextInput
        label={t("filter.from")}
        type="date"
        value={filters.from ?? ""}
        onChange={(e) => set("from", e.currentTarget.value)}
        w={160}
      />
      <TextInput
        label={t("filter.to")}
        type="date"
        value={filters.to ?? ""}
        onChange={(e) => set("to", e.currentTarget.value)}
        error={isRangeReversed(filters) ? t("filter.toBeforeFrom") : undefined}
        w={160}
      />
      <SegmentedControl
        aria-label={t("filter.direction")}
        value={filters.direction ?? ""}
        onChange={(value) => set("direction", CallDirection.safeParse(value).data ?? null)}
        data={[
          { value: "", label: t("filter.all") },
          ...CallDirection.options.map((d) => ({ value: d, label: t(`directionShort.${d}`) })),
        ]}
      />
      <Select
        label={t("filter.result")}
        placeholder={t("filter.anyResult")}
        data={EndCause.options.map((r) => ({ value: r, label: t(`result.${r}`) }))}
        value={filters.result ?? null}
        onChange={(value) => set("result", EndCause.safeParse(value).data ?? null)}
        clearable
        w={200}
      />
      {sources.data && sources.data.length > 0 ? (
        <Select
          label={t("filter.source")}
          placeholder={t("filter.anySource")}
          data={sources.data.map((s) => ({ value: s.id, label: s.name }))}
          value={filters.sourceId ?? null}
          onChange={(value) => set("sourceId", value)}
          searchable
          clearable
          w={220}
        />
      ) : null}
      {hasFilters ? (
        <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={() => onChange({})}>
          {t("journal.reset")}
        </Button>
      ) : null}
    </Group>
  );
}
