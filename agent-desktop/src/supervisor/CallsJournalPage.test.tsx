import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { DEFAULT_PERMISSIONS } from "@okno/contracts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch, type FetchCall } from "../agent/testFetch.ts";
import { useAuth } from "../auth/authStore.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { CallsJournalPage } from "./CallsJournalPage.tsx";
import { AGENT_ID, buildCallLogItem, buildSupervisor, CONTACT_ID } from "./testSupervisor.ts";

// The player's wavesurfer needs canvas and audio decoding; the journal's tests only open it.
vi.mock("./waveform.ts", () => ({
  createWaveform: () => ({ playPause: vi.fn(), setSpeed: vi.fn(), destroy: vi.fn() }),
}));

const users = {
  items: [
    {
      id: AGENT_ID,
      fullName: "Петрова Анна",
      departmentId: AGENT_ID,
      role: "agent",
      extension: "101",
      isActive: true,
    },
  ],
  nextCursor: null,
};

function stubJournal(pages: Record<string, { items: unknown[]; nextCursor: string | null }>): FetchCall[] {
  return stubFetch(({ url }) => {
    const parsed = new URL(url, "http://localhost");
    if (parsed.pathname === "/api/v1/users") {
      return { body: users };
    }
    if (parsed.pathname === "/api/v1/calls") {
      return { body: pages[parsed.searchParams.get("cursor") ?? ""] ?? { items: [], nextCursor: null } };
    }
    return undefined;
  });
}

const callRequests = (calls: FetchCall[]) =>
  calls.filter((c) => c.url.startsWith("/api/v1/calls")).map((c) => new URL(c.url, "http://localhost"));

beforeEach(() => {
  // This year, so dates show without the year as the journal does for recent calls.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 6, 9, 0));
  useAuth.setState({ status: "signedIn", me: buildSupervisor() });
  window.history.replaceState(null, "", "/supervisor/calls");
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("CallsJournalPage", () => {
  it("asks for the calls the shared link's filters name", async () => {
    window.history.replaceState(null, "", `/supervisor/calls?agentId=${AGENT_ID}&direction=in&result=missed`);
    const calls = stubJournal({ "": { items: [], nextCursor: null } });
    renderWithProviders(<CallsJournalPage />);
    expect(await screen.findByText("Звонков с такими условиями нет")).toBeTruthy();
    const [request] = callRequests(calls);
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({
      limit: "50",
      agentId: AGENT_ID,
      direction: "in",
      result: "missed",
    });
  });

  it("refetches with a changed filter and keeps it in the address for sharing", async () => {
    window.history.replaceState(null, "", "/supervisor/calls?result=missed");
    const calls = stubJournal({ "": { items: [], nextCursor: null } });
    renderWithProviders(<CallsJournalPage />);
    await screen.findByText("Звонков с такими условиями нет");
    fireEvent.click(screen.getByText("Исходящие"));
    await waitFor(() => expect(callRequests(calls)).toHaveLength(2));
    expect(callRequests(calls)[1]?.search).toBe("?limit=50&direction=out&result=missed");
    expect(window.location.search).toBe("?direction=out&result=missed");
    fireEvent.click(screen.getByRole("button", { name: "Сбросить фильтры" }));
    await waitFor(() => expect(callRequests(calls)).toHaveLength(3));
    expect(callRequests(calls)[2]?.search).toBe("?limit=50");
    expect(window.location.search).toBe("");
  });

  it("shows a call in Russian formats with links to the client and the recording", async () => {
    const call = buildCallLogItem({ occurredAt: new Date(2026, 2, 5, 14, 30).toISOString() });
    stubJournal({ "": { items: [call], nextCursor: null } });
    renderWithProviders(<CallsJournalPage />);
    const row = within(await screen.findByTestId("call-row"));
    expect(row.getByText("5 мар., 14:30")).toBeTruthy();
    expect(row.getByLabelText("Входящий")).toBeTruthy();
    expect(row.getByText("+7 (495) 123-45-67")).toBeTruthy();
    expect(row.getByRole("link", { name: "Иванова Мария Петровна" }).getAttribute("href")).toBe(
      `/contacts/${CONTACT_ID}`,
    );
    expect(row.getByText("Петрова Анна")).toBeTruthy();
    expect(row.getByText("0:12")).toBeTruthy();
    expect(row.getByText("3:05")).toBeTruthy();
    expect(row.getByText("Состоялся")).toBeTruthy();
    expect(row.getByText("Записан на замер")).toBeTruthy();
    expect(row.getByText("Яндекс.Директ")).toBeTruthy();
    expect(row.getByText("Контекст — кухни")).toBeTruthy();
    expect(row.getByRole("button", { name: "Слушать запись" })).toBeTruthy();
  });

  it("says the number was hidden and offers no player without a recording", async () => {
    const call = buildCallLogItem({ number: null, result: "missed", durationSec: null, hasRecording: false });
    stubJournal({ "": { items: [call], nextCursor: null } });
    renderWithProviders(<CallsJournalPage />);
    const row = within(await screen.findByTestId("call-row"));
    expect(row.getByText("Номер скрыт")).toBeTruthy();
    expect(row.getByText("Пропущен")).toBeTruthy();
    expect(row.queryByRole("button", { name: "Слушать запись" })).toBeNull();
  });

  it("loads the next page with the cursor and appends it", async () => {
    const first = buildCallLogItem();
    const second = buildCallLogItem({ id: "8d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f", number: "+79161234567" });
    const calls = stubJournal({
      "": { items: [first], nextCursor: "page-2" },
      "page-2": { items: [second], nextCursor: null },
    });
    renderWithProviders(<CallsJournalPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Показать ещё" }));
    await waitFor(() => expect(screen.getAllByTestId("call-row")).toHaveLength(2));
    expect(callRequests(calls)[1]?.searchParams.get("cursor")).toBe("page-2");
    expect(screen.getByText("+7 (916) 123-45-67")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Показать ещё" })).toBeNull();
  });

  it("is closed to agents", () => {
    useAuth.setState({ me: buildSupervisor({ role: "agent", permissions: DEFAULT_PERMISSIONS.agent }) });
    const calls = stubJournal({});
    renderWithProviders(<CallsJournalPage />);
    expect(screen.getByText("Этот раздел доступен руководителям и администраторам.")).toBeTruthy();
    expect(callRequests(calls)).toHaveLength(0);
  });
});
