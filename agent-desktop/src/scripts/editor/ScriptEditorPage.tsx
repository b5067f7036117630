import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { KbArticleList } from "@okno/contracts";
import {
  ScriptDetail,
  ScriptVersion,
  validateScript,
  type CaptureEntity,
  type ScriptGraph,
  type ScriptProblem,
} from "@okno/scripts-kb";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { api } from "../../api.ts";
import { formatDateTime } from "../../ui/format.ts";
import { useLoad } from "../../ui/useLoad.ts";
import { loadFieldDefinitions } from "../scriptApi.ts";
import { AssignmentsEditor } from "./AssignmentsEditor.tsx";
import {
  addNode,
  graphOfDraft,
  moveNode,
  NODE_TYPES,
  removeNode,
  replaceNode,
  type NodeType,
} from "./draft.ts";
import { DryRun } from "./DryRun.tsx";
import { EDITOR_NS } from "./i18n.ts";
import { NodeCard } from "./NodeCard.tsx";

export interface ScriptEditorPageProps {
  id: string;
}

/** One script: its draft as a list of steps with live problems, the dry run, publishing and assignments. */
export function ScriptEditorPage({ id }: ScriptEditorPageProps) {
  const [detail, setDetail] = useState<ScriptDetail | null>(null);
  useEffect(() => {
    void api("GET", `/scripts/${id}`, { schema: ScriptDetail }).then(setDetail, () => undefined);
  }, [id]);
  if (!detail) {
    return <Loader m="xl" />;
  }
  return <Editor key={detail.id} detail={detail} onDetail={setDetail} />;
}

function Editor({ detail, onDetail }: { detail: ScriptDetail; onDetail: (d: ScriptDetail) => void }) {
  const { t } = useTranslation(EDITOR_NS);
  const [name, setName] = useState(detail.name);
  const [graph, setGraph] = useState<ScriptGraph>(() => graphOfDraft(detail.draft));
  const [published, setPublished] = useState<ScriptVersion[]>([]);
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const validation = useMemo(() => validateScript(graph), [graph]);
  const problems = validation.ok ? [] : validation.problems;
  const articles = useArticleOptions();
  const customFields = useCustomFields();

  const saveDraft = async () => {
    const saved = await api("PATCH", `/scripts/${detail.id}`, {
      body: { name, draft: graph },
      schema: ScriptDetail,
    });
    onDetail(saved);
    return saved;
  };
  const handleSave = async () => {
    setBusy("save");
    try {
      await saveDraft();
      notifications.show({ color: "green", message: t("saved") });
    } catch {
      // api() has shown the server's reason.
    } finally {
      setBusy(null);
    }
  };
  const handlePublish = async () => {
    setBusy("publish");
    try {
      await saveDraft();
      const version = await api("POST", `/scripts/${detail.id}/publish`, { schema: ScriptVersion });
      setPublished((list) => [version, ...list]);
      notifications.show({ color: "green", message: t("publishedNow", { version: version.version }) });
      onDetail(await api("GET", `/scripts/${detail.id}`, { schema: ScriptDetail }));
    } catch {
      // api() has shown the server's reason (the problems it found, for a draft it refused).
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Group gap="xs">
          <Button component={Link} href="/scripts" variant="subtle" size="xs">
            {t("back")}
          </Button>
          <Title order={2}>{detail.name}</Title>
          {detail.isArchived ? <Badge color="gray">{t("archived")}</Badge> : null}
        </Group>
        <Group gap="xs">
          <Button variant="default" loading={busy === "save"} onClick={() => void handleSave()}>
            {t("save")}
          </Button>
          <Button
            loading={busy === "publish"}
            disabled={problems.length > 0}
            title={problems.length > 0 ? t("cannotPublish") : undefined}
            onClick={() => void handlePublish()}
          >
            {t("publish")}
          </Button>
        </Group>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="sm">
            <Group grow>
              <TextInput label={t("name")} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <Select
                label={t("start")}
                data={graph.nodes.map((n) => n.id)}
                value={graph.start || null}
                onChange={(start) => setGraph({ ...graph, start: start ?? "" })}
                allowDeselect={false}
              />
            </Group>
            <ProblemSummary problems={problems} />
            {graph.nodes.map((node, i) => (
              <NodeCard
                key={i}
                node={node}
                index={i}
                count={graph.nodes.length}
                isStart={node.id === graph.start}
                nodeIds={graph.nodes.map((n) => n.id)}
                problems={problems.filter((p) => p.nodeId === node.id)}
                articles={articles}
                customFields={customFields}
                onChange={(next) => setGraph(replaceNode(graph, i, next))}
                onMove={(delta) => setGraph(moveNode(graph, i, delta))}
                onRemove={() => setGraph(removeNode(graph, i))}
              />
            ))}
            <Group gap="xs">
              <Text size="sm">{t("addNode")}:</Text>
              {NODE_TYPES.map((type: NodeType) => (
                <Button key={type} size="xs" variant="light" onClick={() => setGraph(addNode(graph, type))}>
                  {t(`types.${type}`)}
                </Button>
              ))}
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="sm" radius="md">
            <Tabs defaultValue="dry">
              <Tabs.List>
                <Tabs.Tab value="dry">{t("dryRun")}</Tabs.Tab>
                <Tabs.Tab value="versions">{t("versions")}</Tabs.Tab>
                <Tabs.Tab value="assignments">{t("assignments")}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="dry" pt="sm">
                <DryRun graph={validation.ok ? validation.script : null} />
              </Tabs.Panel>
              <Tabs.Panel value="versions" pt="sm">
                <Versions detail={detail} published={published} />
              </Tabs.Panel>
              <Tabs.Panel value="assignments" pt="sm">
                <AssignmentsEditor
                  scriptId={detail.id}
                  assignments={detail.assignments}
                  onSaved={(summary) => onDetail({ ...detail, ...summary })}
                />
              </Tabs.Panel>
            </Tabs>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** Problems of the script itself (not of one step), and how many there are in all. */
function ProblemSummary({ problems }: { problems: ScriptProblem[] }) {
  const { t } = useTranslation(EDITOR_NS);
  if (problems.length === 0) {
    return (
      <Alert color="green" p="xs">
        {t("noProblems")}
      </Alert>
    );
  }
  const general = problems.filter((p) => p.nodeId === null);
  return (
    <Alert color="red" p="xs" title={t("problems", { count: problems.length })}>
      {general.map((p, i) => (
        <Text key={i} size="sm">
          {p.message}
        </Text>
      ))}
    </Alert>
  );
}

/** The latest version (the one calls get) and those published in this session. */
function Versions({ detail, published }: { detail: ScriptDetail; published: ScriptVersion[] }) {
  const { t } = useTranslation(EDITOR_NS);
  const latest = detail.latestVersion;
  const rows = [...published];
  if (latest && !rows.some((v) => v.id === latest.id)) {
    rows.push({
      ...latest,
      scriptId: detail.id,
      name: detail.name,
      graph: { start: "", nodes: [] },
      publishedBy: null,
    });
  }
  if (rows.length === 0) {
    return <Text c="dimmed">{t("noVersions")}</Text>;
  }
  return (
    <Stack gap={4}>
      {rows.map((v) => (
        <Text key={v.id} size="sm">
          {t("published", { version: v.version, date: formatDateTime(v.publishedAt) })}
        </Text>
      ))}
    </Stack>
  );
}

function useArticleOptions(): { value: string; label: string }[] {
  const { data } = useLoad(
    (signal) => api("GET", "/kb/articles", { schema: KbArticleList, quiet: true, signal }),
    [],
  );
  return useMemo(() => (data?.items ?? []).map((a) => ({ value: a.id, label: a.title })), [data]);
}

function useCustomFields(): Partial<Record<CaptureEntity, Awaited<ReturnType<typeof loadFieldDefinitions>>>> {
  const { data } = useLoad(async () => {
    const [contact, company, lead, deal] = await Promise.all(
      (["contacts", "companies", "leads", "deals"] as const).map((e) =>
        loadFieldDefinitions(e).catch(() => []),
      ),
    );
    return { contact, company, lead, deal };
  }, []);
  return data ?? {};
}
