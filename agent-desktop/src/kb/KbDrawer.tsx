import { Button, Drawer, Stack } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ArticleView } from "./ArticleView.tsx";
import { KB_NS } from "./i18n.ts";
import { KbSearch } from "./KbSearch.tsx";

/** What the drawer shows: the search, or one article (opened from the search or from a script node). */
export type KbView = { kind: "search" } | { kind: "article"; id: string; fromSearch: boolean };

export interface KbDrawerProps {
  view: KbView | null;
  onViewChange: (view: KbView | null) => void;
}

/** The knowledge base beside the call: the call card stays in view while the agent reads. */
export function KbDrawer({ view, onViewChange }: KbDrawerProps) {
  const { t } = useTranslation(KB_NS);
  const [query, setQuery] = useState("");
  return (
    <Drawer
      opened={view !== null}
      onClose={() => onViewChange(null)}
      position="right"
      size="lg"
      title={t("title")}
      closeButtonProps={{ "aria-label": t("close") }}
    >
      {view?.kind === "article" ? (
        <Stack gap="md">
          {view.fromSearch ? (
            <Button
              variant="subtle"
              leftSection={<IconArrowLeft size={16} />}
              onClick={() => onViewChange({ kind: "search" })}
              w="fit-content"
            >
              {t("back")}
            </Button>
          ) : null}
          <ArticleView id={view.id} />
        </Stack>
      ) : null}
      {view?.kind === "search" ? (
        <KbSearch
          query={query}
          onQueryChange={setQuery}
          onOpen={(id) => onViewChange({ kind: "article", id, fromSearch: true })}
          autoFocus
        />
      ) : null}
    </Drawer>
  );
}
