import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "../agent/testFetch.ts";
import { useCalls } from "../calls/callStore.ts";
import { useChanges } from "../changes.ts";
import { useSoftphone } from "../softphone/softphoneStore.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { MissedCallsBadge } from "./MissedCallsBadge.tsx";
import { MissedCallsPage } from "./MissedCallsPage.tsx";
import { buildMissedCall } from "./testCallbacks.ts";

const PENDING = "/api/v1/calls/missed?limit=50&status=pending";
const DONE = "/api/v1/calls/missed?limit=50&status=done";

const pending = buildMissedCall();
const unknownCaller = buildMissedCall({
  id: "8d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f",
  number: "+74957654321",
  contact: null,
  result: "abandoned",
  waitSec: 125,
});
const calledBack = buildMissedCall({
  id: "9d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f",
  number: "+79031112233",
  contact: { id: "1b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e", fullName: "Сидоров Пётр" },
  calledBack: {
    via: "call",
    at: "2026-03-05T11:15:00+03:00",
    by: { id: "2c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", fullName: "Смирнова Ольга" },
    answered: false,
  },
});

const page = (items: unknown[]) => ({ body: { items, nextCursor: null } });

beforeEach(() => {
  useChanges.setState({ versions: {} });
  useCalls.setState({ cards: [] });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("MissedCallsPage", () => {
  it("lists the calls waiting for a call back with the number in Russian format, the client and the wait", async () => {
    stubFetch(({ url }) => (url === PENDING ? page([pending, unknownCaller]) : undefined));
    renderWithProviders(<MissedCallsPage />);
    const rows = await screen.findAllByTestId("missed-call");
    expect(rows).toHaveLength(2);
    const [first, second] = rows.map((row) => within(row));
    expect(first!.getByText("+7 (912) 345-67-89")).toBeTruthy();
    expect(first!.getByRole("link", { name: "Иванова Мария Петровна" }).getAttribute("href")).toBe(
      "/contacts/0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e",
    );
    expect(first!.getByText("0:47")).toBeTruthy();
    expect(first!.getByText("Не ответили")).toBeTruthy();
    expect(first!.getByRole("button", { name: "Перезвонить" })).toBeTruthy();
    expect(second!.getByText("+7 (495) 765-43-21")).toBeTruthy();
    expect(second!.getByText("Нет в базе")).toBeTruthy();
    expect(second!.getByText("2:05")).toBeTruthy();
    expect(second!.getByText("Бросил трубку")).toBeTruthy();
  });

  it("dials the row's number through the softphone in one click", async () => {
    const dial = vi.fn(async () => undefined);
    useSoftphone.setState({ registration: { status: "registered", attempts: 0, reason: undefined }, dial });
    stubFetch(({ url }) => (url === PENDING ? page([unknownCaller, pending]) : undefined));
    renderWithProviders(<MissedCallsPage />);
    const rows = await screen.findAllByTestId("missed-call");
    fireEvent.click(within(rows[1]!).getByRole("button", { name: "Перезвонить" }));
    await waitFor(() => expect(dial).toHaveBeenCalledWith("+79123456789"));
    expect(dial).toHaveBeenCalledTimes(1);
  });

  it("shows who called back, when, and that the client did not answer, under «Перезвонили»", async () => {
    const calls = stubFetch(({ url }) => {
      if (url === PENDING) {
        return page([pending]);
      }
      return url === DONE ? page([calledBack]) : undefined;
    });
    renderWithProviders(<MissedCallsPage />);
    await screen.findAllByTestId("missed-call");
    fireEvent.click(screen.getByText("Перезвонили"));
    await waitFor(() => expect(screen.getByText("+7 (903) 111-22-33")).toBeTruthy());
    const row = within(screen.getByTestId("missed-call"));
    // The time is shown in the device's zone: only its minutes are the same everywhere.
    expect(row.getByText(/^Смирнова Ольга, 5 мар\.?, \d\d:15$/)).toBeTruthy();
    expect(row.getByText("клиент не ответил")).toBeTruthy();
    expect(row.queryByRole("button", { name: "Перезвонить" })).toBeNull();
    expect(calls.map((c) => c.url)).toEqual([PENDING, DONE]);
  });

  it("says so when nobody waits for a call back", async () => {
    stubFetch(({ url }) => (url === PENDING ? page([]) : undefined));
    renderWithProviders(<MissedCallsPage />);
    expect(await screen.findByText("Все перезвонены — пропущенных нет")).toBeTruthy();
  });

  it("loads the list again when crm-api reports a changed call", async () => {
    let answer = [pending];
    const calls = stubFetch(({ url }) => (url === PENDING ? page(answer) : undefined));
    renderWithProviders(<MissedCallsPage />);
    await screen.findByText("+7 (912) 345-67-89");
    answer = [];
    useChanges.getState().bump("interactions");
    expect(await screen.findByText("Все перезвонены — пропущенных нет")).toBeTruthy();
    expect(calls).toHaveLength(2);
  });
});

describe("MissedCallsBadge", () => {
  it("counts the missed calls still waiting for a call back", async () => {
    stubFetch(({ url }) =>
      url === "/api/v1/calls/missed?limit=100&status=pending" ? page([pending, unknownCaller]) : undefined,
    );
    renderWithProviders(<MissedCallsBadge />);
    expect((await screen.findByLabelText("Ждут звонка: 2")).textContent).toBe("2");
  });
});
