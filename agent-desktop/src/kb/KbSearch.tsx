import { Alert, Badge, Group, Loader, Mark, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import type { KbSearchHit } from "@okno/contracts";
import { IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { describeError, ApiError } from "../api.ts";
import { KB_NS } from "./i18n.ts";
import { searchKb } from "./kbApi.ts";
import { parseSnippet } from "./snippet.ts";

/** How long typing pauses before a search: a question typed during a call is one request, not ten. */
export const SEARCH_DEBOUNCE_MS = 300;

export interface KbSearchProps {
  onOpen: (articleId: string) => void;
  /** Kept by the caller so that going back from an article shows the same results. */
  query: string;
  onQueryChange: (query: string) => void;
  autoFocus?: boolean;
}

type Found = { q: string; items: KbSearchHit[] } | { q: string; error: string };

/** The search box and its results: titles and snippets with the matched words highlighted. */
export function KbSearch({ onOpen, query, onQueryChange, autoFocus }: KbSearchProps) {
  const { t } = useTranslation(KB_NS);
  const [debounced] = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const [found, setFound] = useState<Found | null>(null);

  useEffect(() => {
    if (debounced === "") {
      setFound(null);
      return;
    }
    const controller = new AbortController();
    searchKb(debounced, controller.signal)
      .then((result) => setFound({ q: debounced, items: result.items }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) {
          const reason = err instanceof ApiError ? describeError(err) : String(err);
          setFound({ q: debounced, error: reason });
        }
      });
    return () => controller.abort();
  }, [debounced]);

  const isLoading = debounced !== "" && found?.q !== debounced;
  return (
    <Stack gap="sm">
      <TextInput
        label={t("searchLabel")}
        placeholder={t("searchPlaceholder")}
        value={query}
        onChange={(e) => onQueryChange(e.currentTarget.value)}
        leftSection={<IconSearch size={16} />}
        rightSection={isLoading ? <Loader size="xs" /> : null}
        autoFocus={autoFocus}
        type="search"
      />
      {debounced === "" ? (
        <Text size="sm" c="dimmed">
          {t("typeToSearch")}
        </Text>
      ) : null}
      {found && !isLoading && "error" in found ? (
        <Alert color="red">{t("searchFailed", { reason: found.error })}</Alert>
      ) : null}
      {found && !isLoading && "items" in found ? (
        <Results items={found.items} q={found.q} onOpen={onOpen} />
      ) : null}
    </Stack>
  );
}

function Results({ items, q, onOpen }: { items: KbSearchHit[]; q: string; onOpen: (id: string) => void }) {
  const { t } = useTranslation(KB_NS);
  if (items.length === 0) {
    return <Text c="dimmed">{t("nothingFound", { q })}</Text>;
  }
  return (
    <Stack gap="xs" role="list" aria-label={t("title")}>
      {items.map((hit) => (
        <UnstyledButton
          key={hit.id}
          role="listitem"
          onClick={() => onOpen(hit.id)}
          p="xs"
          style={{ borderRadius: 6, border: "1px solid var(--mantine-color-default-border)" }}
        >
          <Group gap="xs" wrap="nowrap">
            <Text fw={600}>{hit.title}</Text>
            {hit.isTitleMatch ? (
              <Badge size="xs" variant="light">
                {t("titleMatch")}
              </Badge>
            ) : null}
          </Group>
          <SnippetText snippet={hit.snippet} />
        </UnstyledButton>
      ))}
    </Stack>
  );
}

/** The snippet as text segments; the matches in <mark> elements React creates (never innerHTML). */
export function SnippetText({ snippet }: { snippet: string }) {
  return (
    <Text size="sm" c="dimmed" data-testid="kb-snippet">
      {parseSnippet(snippet).map((s, i) => (s.isMatch ? <Mark key={i}>{s.text}</Mark> : s.text))}
    </Text>
  );
}
