import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { ScriptDetail } from "@okno/scripts-kb";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { api } from "../../api.ts";
import { useAuth } from "../../auth/authStore.ts";
import { formatDateTime } from "../../ui/format.ts";
import { useLoad } from "../../ui/useLoad.ts";
import { canEditScripts } from "../canEditScripts.ts";
import { listScripts } from "../scriptApi.ts";
import { EDITOR_NS } from "./i18n.ts";
import { ScriptEditorPage } from "./ScriptEditorPage.tsx";

/** /scripts and /scripts/:id: the lazy entry of the supervisor's editor. */
export function ScriptsAdminPage({ id }: { id?: string }) {
  const { t } = useTranslation(EDITOR_NS);
  const me = useAuth((s) => s.me);
  if (!canEditScripts(me)) {
    return <Alert color="gray">{t("noAccess")}</Alert>;
  }
  return id ? <ScriptEditorPage id={id} /> : <ScriptList />;
}

function ScriptList() {
  const { t } = useTranslation(EDITOR_NS);
  const [, navigate] = useLocation();
  const { data, isLoading } = useLoad((signal) => listScripts(signal), []);
  const [name, setName] = useState("");

  const handleCreate = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name,
      draft: {
        start: "greet",
        nodes: [
          { id: "greet", type: "say", text: "Здравствуйте!", next: "end" },
          { id: "end", type: "end", outcome: "success" },
        ],
      },
    };
    const created = await api("POST", "/scripts", { body, schema: ScriptDetail }).catch(() => null);
    if (created) {
      navigate(`/scripts/${created.id}`);
    }
  };

  return (
    <Stack gap="md">
      <Title order={2}>{t("title")}</Title>
      <form onSubmit={(e) => void handleCreate(e)}>
        <Group align="flex-end">
          <TextInput
            label={t("createName")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
          <Button type="submit" disabled={name.trim() === ""}>
            {t("createSubmit")}
          </Button>
        </Group>
      </form>
      {isLoading ? <Loader /> : null}
      {data?.length === 0 ? <Text c="dimmed">{t("empty")}</Text> : null}
      {data?.map((s) => (
        <Paper key={s.id} withBorder p="sm" radius="md">
          <Group justify="space-between">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={600}>{s.name}</Text>
                {s.isArchived ? <Badge color="gray">{t("archived")}</Badge> : null}
              </Group>
              <Text size="sm" c="dimmed">
                {s.latestVersion
                  ? t("published", {
                      version: s.latestVersion.version,
                      date: formatDateTime(s.latestVersion.publishedAt),
                    })
                  : t("unpublished")}
                {s.assignments.length > 0
                  ? ` · ${s.assignments.map((a) => `${t(`kinds.${a.kind}`)}: ${a.value}`).join(", ")}`
                  : ""}
              </Text>
            </Stack>
            <Button component={Link} href={`/scripts/${s.id}`} variant="light" size="xs">
              {t("open")}
            </Button>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
