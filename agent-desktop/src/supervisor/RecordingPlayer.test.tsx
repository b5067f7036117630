import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "../agent/testFetch.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { RecordingPlayer } from "./RecordingPlayer.tsx";
import { INTERACTION_ID } from "./testSupervisor.ts";
import type { WaveformEvents } from "./waveform.ts";

/** The fake wavesurfer: what the player asked of it, and its events to fire by hand. */
const fake = vi.hoisted(() => ({
  created: [] as { url: string; events: WaveformEvents }[],
  playPause: vi.fn(),
  setSpeed: vi.fn(),
  destroy: vi.fn(),
}));

vi.mock("./waveform.ts", () => ({
  createWaveform: (_container: HTMLElement, url: string, events: WaveformEvents) => {
    fake.created.push({ url, events });
    return { playPause: fake.playPause, setSpeed: fake.setSpeed, destroy: fake.destroy };
  },
}));

const RECORDING_ID = "3a3a3a3a-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const recording = (over: object = {}) => ({
  id: RECORDING_ID,
  interactionId: INTERACTION_ID,
  callId: "ast1:1700000000.12",
  status: "stored",
  url: `/api/v1/recordings/${RECORDING_ID}`,
  contentType: "audio/wav",
  sizeBytes: 2_960_000,
  durationSec: 185,
  canListen: true,
  createdAt: "2026-03-05T14:33:20+03:00",
  storedAt: "2026-03-05T14:33:40+03:00",
  ...over,
});

const stubRecording = (answer: { status?: number; body?: unknown }) =>
  stubFetch(({ url }) => (url === `/api/v1/interactions/${INTERACTION_ID}/recording` ? answer : undefined));

const FORBIDDEN = /Нет доступа к записи/;

beforeEach(() => {
  fake.created.length = 0;
  vi.clearAllMocks();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("RecordingPlayer", () => {
  it("plays the stored file with its time, position and speed", async () => {
    stubRecording({ body: recording() });
    renderWithProviders(<RecordingPlayer interactionId={INTERACTION_ID} />);
    await screen.findByTestId("waveform");
    expect(fake.created.map((w) => w.url)).toEqual([`/api/v1/recordings/${RECORDING_ID}`]);
    expect(screen.getByTestId("player-time").textContent).toBe("0:00 / 3:05");
    expect(screen.getByRole("button", { name: "Воспроизвести" })).toHaveProperty("disabled", true);

    const { events } = fake.created[0]!;
    act(() => events.onReady(186.4));
    fireEvent.click(screen.getByRole("button", { name: "Воспроизвести" }));
    expect(fake.playPause).toHaveBeenCalledTimes(1);
    act(() => {
      events.onPlayingChange(true);
      events.onTime(75.6);
    });
    expect(screen.getByRole("button", { name: "Пауза" })).toBeTruthy();
    expect(screen.getByTestId("player-time").textContent).toBe("1:15 / 3:06");

    fireEvent.click(screen.getByText("1,5×"));
    expect(fake.setSpeed).toHaveBeenLastCalledWith(1.5);
  });

  it("says access is denied when the server answers 403", async () => {
    stubRecording({
      status: 403,
      body: { error: { code: "forbidden", message: "you may listen only to calls you took" } },
    });
    renderWithProviders(<RecordingPlayer interactionId={INTERACTION_ID} />);
    expect(await screen.findByText(FORBIDDEN)).toBeTruthy();
    expect(fake.created).toHaveLength(0);
  });

  it("does not fetch the audio of a recording this user may not play", async () => {
    stubRecording({ body: recording({ canListen: false }) });
    renderWithProviders(<RecordingPlayer interactionId={INTERACTION_ID} />);
    expect(await screen.findByText(FORBIDDEN)).toBeTruthy();
    expect(fake.created).toHaveLength(0);
  });

  it("says access is denied when the audio itself is refused", async () => {
    stubRecording({ body: recording() });
    renderWithProviders(<RecordingPlayer interactionId={INTERACTION_ID} />);
    await screen.findByTestId("waveform");
    act(() => fake.created[0]!.events.onError({ status: 403, message: "Failed to fetch: 403 (Forbidden)" }));
    expect(screen.getByText(FORBIDDEN)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Воспроизвести" })).toHaveProperty("disabled", true);
  });

  it("tells a call without a recording from one still on its way", async () => {
    stubRecording({ status: 404, body: { error: { code: "not_found", message: "recording not found" } } });
    const { unmount } = renderWithProviders(<RecordingPlayer interactionId={INTERACTION_ID} />);
    expect(await screen.findByText("Записи этого звонка нет.")).toBeTruthy();
    unmount();
    stubRecording({ body: recording({ status: "pending", url: null }) });
    renderWithProviders(<RecordingPlayer interactionId={INTERACTION_ID} />);
    expect(await screen.findByText(/Запись ещё не пришла с АТС/)).toBeTruthy();
  });
});
