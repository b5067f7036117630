import { Alert, Anchor, Badge, Group, Loader, Stack, Text, Title } from "@mantine/core";
import type { KbArticle } from "@okno/contracts";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, describeError } from "../api.ts";
import { config } from "../config.ts";
import { formatDateTime } from "../ui/format.ts";
import { KB_NS } from "./i18n.ts";
import { loadArticle } from "./kbApi.ts";
import { MarkdownView } from "./MarkdownView.tsx";

export interface ArticleViewProps {
  id: string;
}

type Loaded = { id: string; article: KbArticle } | { id: string; error: string };

/** One article: title, body (safe Markdown) and its attachments. */
export function ArticleView({ id }: ArticleViewProps) {
  const { t } = useTranslation(KB_NS);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    loadArticle(id, controller.signal)
      .then((article) => setLoaded({ id, article }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) {
          setLoaded({ id, error: err instanceof ApiError ? describeError(err) : String(err) });
        }
      });
    return () => controller.abort();
  }, [id]);

  if (!loaded || loaded.id !== id) {
    return <Loader size="sm" />;
  }
  if ("error" in loaded) {
    return <Alert color="red">{t("loadFailed", { reason: loaded.error })}</Alert>;
  }
  const { article } = loaded;
  return (
    <Stack gap="sm" component="article" aria-label={article.title}>
      <Group gap="xs">
        <Title order={3}>{article.title}</Title>
        {article.isPublished ? null : <Badge color="gray">{t("draft")}</Badge>}
      </Group>
      <Text size="xs" c="dimmed">
        {t("updated", { date: formatDateTime(article.updatedAt) })}
      </Text>
      <MarkdownView markdown={article.bodyMd} />
      {article.attachments.length > 0 ? (
        <Stack gap={4}>
          <Text fw={600} size="sm">
            {t("attachments")}
          </Text>
          {article.attachments.map((a) => (
            <Anchor key={a.fileId} href={`${config.apiBase}/files/${a.fileId}`} target="_blank" size="sm">
              {a.name}
            </Anchor>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
