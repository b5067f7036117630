import { Button, Group } from "@mantine/core";
import { IconBook } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { loadArticle } from "../kb/kbApi.ts";
import { SCRIPTS_NS } from "./i18n.ts";

// Titles of articles the scripts link to, for the desktop's life: a node shows «Рассрочка», not an id.
const titles = new Map<string, string>();

export interface ArticleLinksProps {
  ids: readonly string[];
  onOpen: (id: string) => void;
}

/** The knowledge-base articles a node links to, as buttons that open them beside the call. */
export function ArticleLinks({ ids, onOpen }: ArticleLinksProps) {
  const { t } = useTranslation(SCRIPTS_NS);
  const [, setLoaded] = useState(0);
  const key = ids.join(",");

  useEffect(() => {
    const controller = new AbortController();
    for (const id of ids.filter((i) => !titles.has(i))) {
      loadArticle(id, controller.signal)
        .then((article) => {
          titles.set(id, article.title);
          setLoaded((n) => n + 1);
        })
        .catch(() => undefined);
    }
    return () => controller.abort();
    // `key` stands for the ids.
  }, [key]);

  if (ids.length === 0) {
    return null;
  }
  return (
    <Group gap="xs">
      {ids.map((id, i) => (
        <Button
          key={id}
          variant="light"
          color="teal"
          size="xs"
          leftSection={<IconBook size={14} />}
          onClick={() => onOpen(id)}
        >
          {titles.get(id) ?? `${t("article")} ${i + 1}`}
        </Button>
      ))}
    </Group>
  );
}
