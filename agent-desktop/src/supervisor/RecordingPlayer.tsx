import { Alert, Group, Loader, Text } from "@mantine/core";
import type { Recording } from "@okno/contracts";
import { useTranslation } from "react-i18next";
import { ApiError, describeError } from "../api.ts";
import { useLoad } from "../ui/useLoad.ts";
import { SUPERVISOR_NS } from "./i18n.ts";
import { fetchRecording } from "./supervisorApi.ts";
import { WaveformPlayer } from "./WaveformPlayer.tsx";

/** What the player can show for a call: the audio, or why not. */
export type RecordingView =
  | { kind: "playable"; url: string; durationSec: number | null }
  | { kind: "forbidden" }
  | { kind: "missing" }
  | { kind: "pending" }
  | { kind: "failed" }
  | { kind: "error"; message: string };

export function viewOfRecording(r: Recording): RecordingView {
  if (!r.canListen) {
    return { kind: "forbidden" };
  }
  if (r.status === "pending") {
    return { kind: "pending" };
  }
  if (r.status === "failed" || r.url === null) {
    return { kind: "failed" };
  }
  return { kind: "playable", url: r.url, durationSec: r.durationSec };
}

export function viewOfError(err: unknown): RecordingView {
  if (!(err instanceof ApiError)) {
    return { kind: "error", message: err instanceof Error ? err.message : String(err) };
  }
  if (err.status === 403) {
    return { kind: "forbidden" };
  }
  if (err.status === 404) {
    return { kind: "missing" };
  }
  return { kind: "error", message: describeError(err) };
}

/**
 * A call's recording: GET /interactions/:id/recording says whether there is one and whether this user
 * may play it; only then does the waveform fetch the audio (GET /recordings/:id, which the server audits).
 */
export function RecordingPlayer({ interactionId }: { interactionId: string }) {
  const { t } = useTranslation(SUPERVISOR_NS);
  const { data: view } = useLoad(
    (signal) => fetchRecording(interactionId, signal).then(viewOfRecording, viewOfError),
    [interactionId],
  );

  if (!view) {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          {t("player.loading")}
        </Text>
      </Group>
    );
  }
  switch (view.kind) {
    case "playable":
      return <WaveformPlayer url={view.url} durationSec={view.durationSec} />;
    case "forbidden":
      return <Alert color="red">{t("player.forbidden")}</Alert>;
    case "missing":
      return <Alert color="gray">{t("player.notFound")}</Alert>;
    case "pending":
      return <Alert color="yellow">{t("player.pending")}</Alert>;
    case "failed":
      return <Alert color="gray">{t("player.failed")}</Alert>;
    case "error":
      return <Alert color="red">{t("player.broken", { reason: view.message })}</Alert>;
  }
}
