import { ActionIcon, Alert, Box, Group, Loader, SegmentedControl, Stack, Text } from "@mantine/core";
import { IconPlayerPauseFilled, IconPlayerPlayFilled } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatDuration } from "../ui/format.ts";
import { SUPERVISOR_NS } from "./i18n.ts";
import { createWaveform, type Waveform } from "./waveform.ts";

export const SPEEDS = [1, 1.25, 1.5, 2] as const;

export interface WaveformPlayerProps {
  url: string;
  /** The length the server knows, shown until the audio itself says. */
  durationSec: number | null;
}

/** What the file's own request answered, in the player's words. */
export function audioErrorMessage(
  error: { status: number | null; message: string },
  t: TFunction<typeof SUPERVISOR_NS>,
): string {
  if (error.status === 401 || error.status === 403) {
    return t("player.forbidden");
  }
  if (error.status === 404) {
    return t("player.notFound");
  }
  return t("player.broken", { reason: error.message });
}

/** Waveform, play/pause, position and speed for one stored recording. */
export function WaveformPlayer({ url, durationSec }: WaveformPlayerProps) {
  const { t, i18n } = useTranslation(SUPERVISOR_NS);
  const container = useRef<HTMLDivElement>(null);
  const waveform = useRef<Waveform | null>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [time, setTime] = useState(0);
  const [isPlaying, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!container.current) {
      return;
    }
    setDuration(null);
    setTime(0);
    setPlaying(false);
    setSpeed(1);
    setError(null);
    const created = createWaveform(container.current, url, {
      onReady: setDuration,
      onTime: setTime,
      onPlayingChange: setPlaying,
      onError: (e) => setError(audioErrorMessage(e, t)),
    });
    waveform.current = created;
    return () => {
      waveform.current = null;
      created.destroy();
    };
    // `t` changes with the language; the audio does not need reloading for that.
  }, [url]);

  const handleSpeed = (value: string) => {
    const rate = Number(value);
    setSpeed(rate);
    waveform.current?.setSpeed(rate);
  };

  const isReady = duration !== null && error === null;
  const total = duration ?? durationSec;
  return (
    <Stack gap="xs">
      {error ? <Alert color="red">{error}</Alert> : null}
      <Box ref={container} data-testid="waveform" display={error ? "none" : undefined} mih={64} />
      {!isReady && !error ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            {t("player.loading")}
          </Text>
        </Group>
      ) : null}
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <ActionIcon
            size="lg"
            radius="xl"
            disabled={!isReady}
            aria-label={isPlaying ? t("player.pause") : t("player.play")}
            onClick={() => waveform.current?.playPause()}
          >
            {isPlaying ? <IconPlayerPauseFilled size={18} /> : <IconPlayerPlayFilled size={18} />}
          </ActionIcon>
          <Text ff="monospace" size="sm" data-testid="player-time">
            {formatDuration(Math.floor(time))} / {total === null ? "–:––" : formatDuration(Math.round(total))}
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          aria-label={t("player.speed")}
          value={String(speed)}
          onChange={handleSpeed}
          disabled={!isReady}
          data={SPEEDS.map((rate) => ({
            value: String(rate),
            label: `${rate.toLocaleString(i18n.language)}×`,
          }))}
        />
      </Group>
    </Stack>
  );
}
