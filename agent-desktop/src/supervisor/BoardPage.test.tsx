import { Notifications } from "@mantine/notifications";
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch, type FetchCall } from "../agent/testFetch.ts";
import { useAuth } from "../auth/authStore.ts";
import { handleServerMessage } from "../socket.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { BoardPage } from "./BoardPage.tsx";
import { useBoard } from "./boardStore.ts";
import { AGENT_ID, buildBoardCall, buildBoardItem, buildSupervisor } from "./testSupervisor.ts";

const NOW = Date.parse("2026-03-05T10:02:00Z");
const CALL_ID = "ast1:1700000000.12";
const SUPERVISE_URL = `/api/v1/calls/${encodeURIComponent(CALL_ID)}/supervise`;

const push = (agent: object) =>
  act(() => handleServerMessage(JSON.stringify({ type: "agent.state", agent }), 0));

function renderBoard() {
  return renderWithProviders(
    <>
      <Notifications />
      <BoardPage />
    </>,
  );
}

/** The board answers with these agents; a supervise request gets `superviseAnswer`. */
function stubBoard(
  items: unknown[],
  superviseAnswer: { status?: number; body?: unknown } = { body: { ok: true } },
): FetchCall[] {
  return stubFetch(({ method, url }) => {
    if (url === "/api/v1/agents/board") {
      return { body: { items } };
    }
    return method === "POST" && url === SUPERVISE_URL ? superviseAnswer : undefined;
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
  vi.setSystemTime(NOW);
  useBoard.setState({ items: [], isLoading: true });
  useAuth.setState({ status: "signedIn", me: buildSupervisor() });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("BoardPage", () => {
  it("shows each agent's state with how long they have been in it, and their call", async () => {
    stubBoard([buildBoardItem({ calls: [buildBoardCall()] })]);
    renderBoard();
    const row = within(await screen.findByTestId(`agent-${AGENT_ID}`));
    expect(row.getByText("Петрова Анна")).toBeTruthy();
    expect(row.getByText("Доступен")).toBeTruthy();
    expect(row.getByTestId("state-timer").textContent).toBe("7:00");
    expect(row.getByText("принято 7, пропущено 1")).toBeTruthy();
    const call = within(row.getByTestId(`call-${CALL_ID}`));
    expect(call.getByText("+7 (912) 345-67-89")).toBeTruthy();
    expect(call.getByText("Разговор")).toBeTruthy();
    expect(call.getByText("1:50")).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(row.getByTestId("state-timer").textContent).toBe("7:05");
  });

  it("follows an agent.state push at once and ignores one older than the state shown", async () => {
    stubBoard([buildBoardItem()]);
    renderBoard();
    const row = within(await screen.findByTestId(`agent-${AGENT_ID}`));
    const agent = { ...buildBoardItem(), calls: undefined };
    push({ ...agent, state: "paused", reason: "lunch", since: new Date(NOW - 3000).toISOString() });
    expect(row.getByText("Пауза: Обед")).toBeTruthy();
    expect(row.getByTestId("state-timer").textContent).toBe("0:03");
    push({ ...agent, state: "offline", since: new Date(NOW - 60_000).toISOString() });
    expect(row.getByText("Пауза: Обед")).toBeTruthy();
  });

  it("reloads the calls when the socket says interactions changed", async () => {
    const calls = stubBoard([buildBoardItem()]);
    renderBoard();
    await screen.findByTestId(`agent-${AGENT_ID}`);
    stubBoard([buildBoardItem({ calls: [buildBoardCall({ state: "ringing", answeredAt: null })] })]);
    act(() =>
      handleServerMessage(
        JSON.stringify({
          type: "entity.changed",
          entity: "interactions",
          id: AGENT_ID,
          action: "updated",
          at: new Date(NOW).toISOString(),
        }),
        0,
      ),
    );
    expect(await screen.findByText("Звонит", {}, { timeout: 2000 })).toBeTruthy();
    expect(calls.filter((c) => c.url === "/api/v1/agents/board")).toHaveLength(1);
  });

  it("asks crm-api to ring the supervisor into the call in the chosen mode", async () => {
    const calls = stubBoard([buildBoardItem({ calls: [buildBoardCall()] })]);
    renderBoard();
    fireEvent.click(await screen.findByRole("button", { name: "Суфлировать" }));
    expect(
      await screen.findByText("Ваш телефон 200 зазвонит: ответьте, чтобы подключиться (Суфлировать)"),
    ).toBeTruthy();
    expect(calls.filter((c) => c.method === "POST")).toEqual([
      { method: "POST", url: SUPERVISE_URL, body: { mode: "whisper" } },
    ]);
  });

  it("shows the server's reason when the PBX cannot be reached", async () => {
    const noBridge = { code: "unavailable", message: "no CTI bridge answers at BRIDGE_URL" };
    stubBoard([buildBoardItem({ calls: [buildBoardCall()] })], { status: 503, body: { error: noBridge } });
    renderBoard();
    fireEvent.click(await screen.findByRole("button", { name: "Слушать" }));
    expect(await screen.findByText("Не удалось подключиться к звонку")).toBeTruthy();
    expect(screen.getByText("no CTI bridge answers at BRIDGE_URL")).toBeTruthy();
  });

  it("explains instead of calling when the supervisor has no extension", async () => {
    useAuth.setState({ me: buildSupervisor({ extension: null }) });
    const calls = stubBoard([buildBoardItem({ calls: [buildBoardCall()] })]);
    renderBoard();
    const barge = await screen.findByRole("button", { name: "Вмешаться" });
    expect(barge).toHaveProperty("disabled", true);
    fireEvent.click(barge);
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });
});
