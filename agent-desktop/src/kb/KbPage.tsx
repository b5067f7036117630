import { Grid, Paper, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ArticleView } from "./ArticleView.tsx";
import { KB_NS } from "./i18n.ts";
import { KbSearch } from "./KbSearch.tsx";

/** /kb: the search on the left, the open article on the right (one above the other on a phone). */
export function KbPage() {
  const { t } = useTranslation(KB_NS);
  const [query, setQuery] = useState("");
  const [articleId, setArticleId] = useState<string | null>(null);
  return (
    <>
      <Title order={2} mb="md">
        {t("title")}
      </Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <KbSearch query={query} onQueryChange={setQuery} onOpen={setArticleId} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" radius="md">
            {articleId ? <ArticleView id={articleId} /> : <Text c="dimmed">{t("typeToSearch")}</Text>}
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
