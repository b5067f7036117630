import { Button, Group, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { SuperviseRequest } from "@okno/contracts";
import { IconEar, IconMessageCircle, IconUsers } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, describeError } from "../api.ts";
import { useAuth } from "../auth/authStore.ts";
import { SUPERVISOR_NS } from "./i18n.ts";
import { superviseCall } from "./supervisorApi.ts";

type Mode = SuperviseRequest["mode"];

const MODES: { mode: Mode; icon: typeof IconEar }[] = [
  { mode: "listen", icon: IconEar },
  { mode: "whisper", icon: IconMessageCircle },
  { mode: "barge", icon: IconUsers },
];

/**
 * The server's own reason (no bridge → 503, the PBX cannot snoop → 409, the call ended → 409…), or a
 * general line when there was no answer at all.
 */
export function superviseErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) {
    return err instanceof Error ? err.message : String(err);
  }
  return err.code === "network" || err.code === "internal" || err.message === ""
    ? describeError(err)
    : err.message;
}

/** Listen / whisper / barge: crm-api has the PBX ring the supervisor's own phone into the call. */
export function SuperviseButtons({ callId }: { callId: string }) {
  const { t } = useTranslation(SUPERVISOR_NS);
  const extension = useAuth((s) => s.me?.extension ?? null);
  const [busy, setBusy] = useState<Mode | null>(null);

  const handleSupervise = async (mode: Mode) => {
    setBusy(mode);
    try {
      await superviseCall(callId, mode);
      notifications.show({
        color: "green",
        message: t("board.started", { ext: extension, mode: t(`board.${mode}`) }),
      });
    } catch (err) {
      notifications.show({ color: "red", title: t("board.failed"), message: superviseErrorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const buttons = (
    <Group gap={4} wrap="nowrap">
      {MODES.map(({ mode, icon: Icon }) => (
        <Button
          key={mode}
          size="compact-xs"
          variant="light"
          leftSection={<Icon size={14} />}
          loading={busy === mode}
          disabled={extension === null || (busy !== null && busy !== mode)}
          onClick={() => void handleSupervise(mode)}
        >
          {t(`board.${mode}`)}
        </Button>
      ))}
    </Group>
  );
  // Without an extension the PBX has no phone to ring: the server would refuse, so say why up front.
  return extension === null ? <Tooltip label={t("board.noExtension")}>{buttons}</Tooltip> : buttons;
}
