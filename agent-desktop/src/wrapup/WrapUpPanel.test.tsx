import type { AgentState, WrapUpResult } from "@okno/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useAgentState } from "../agent/agentStore.ts";
import { stubFetch } from "../agent/testFetch.ts";
import { applyEvent, initialCalls, type Card } from "../calls/applyEvent.ts";
import { IncomingCallCard } from "../calls/IncomingCallCard.tsx";
import { typeDueTime } from "../callbacks/testCallbacks.ts";
import { buildPush } from "../calls/testCalls.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { useWrapUps } from "./wrapUpStore.ts";

const YANDEX = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const AVITO = "8a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const TASK = "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
const INTERACTION = "7d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f";
const WRAP_UP = `/api/v1/interactions/${INTERACTION}/wrap-up`;
const available: AgentState = {
  userId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  state: "available",
  reason: null,
  note: null,
  since: "2026-03-05T10:06:00+03:00",
};

/** crm-api's answer to a saved wrap-up: the after-call work is over, the agent is available again. */
function savedAnswer(result: string, next: WrapUpResult["next"]): WrapUpResult {
  return { interactionId: INTERACTION, result, wrappedUpAt: available.since, next, agentState: available };
}

function endedCard(): Card {
  const answeredAt = "2026-03-05T10:00:00+03:00";
  const card = [
    { type: "call" as const, call: buildPush(), now: 0 },
    { type: "call" as const, call: buildPush({ state: "answered", answeredAt }), now: 1 },
    { type: "call" as const, call: buildPush({ state: "ended", answeredAt }), now: 2 },
  ].reduce(applyEvent, initialCalls).cards[0];
  if (!card) {
    throw new Error("no card");
  }
  return card;
}

const sources = {
  items: [
    { id: YANDEX, name: "Яндекс.Директ", utmSource: "yandex", isActive: true },
    { id: AVITO, name: "Авито", utmSource: null, isActive: true },
  ],
};

beforeEach(() => {
  // Only the clock: the next step's default due time is an hour from "now" (2026-03-05 09:00, local).
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 5, 9, 0));
  useWrapUps.setState({ saved: {} });
  useAgentState.setState({ current: null, pbxError: null });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("WrapUpPanel", () => {
  it("appears on the card when an answered call ends", async () => {
    stubFetch(({ url }) => (url === "/api/v1/sources?active=true" ? { body: sources } : undefined));
    renderWithProviders(<IncomingCallCard card={endedCard()} />);
    expect(await screen.findByRole("form", { name: "Итог звонка" })).toBeTruthy();
    expect(screen.getByText(/Обработка после звонка · 0:0\d/)).toBeTruthy();
  });

  it("posts the result, the confirmed source, the note and a callback, then ends the ACW", async () => {
    const calls = stubFetch(({ method, url }) => {
      if (url === "/api/v1/sources?active=true") {
        return { body: sources };
      }
      return method === "POST" && url === WRAP_UP
        ? { body: savedAnswer("Перезвонить завтра", { kind: "callback", id: TASK }) }
        : undefined;
    });
    useAgentState.setState({ current: { ...available, state: "acw", since: "2026-03-05T10:05:00+03:00" } });
    renderWithProviders(<IncomingCallCard card={endedCard()} />);
    const form = within(await screen.findByRole("form", { name: "Итог звонка" }));
    // The call's own source is picked once the list has come.
    expect(await form.findByDisplayValue("Яндекс.Директ")).toBeTruthy();
    fireEvent.change(form.getByLabelText(/^Результат/), { target: { value: " Перезвонить завтра " } });
    fireEvent.click(form.getByLabelText("Источник верный"));
    fireEvent.change(form.getByLabelText("Заметка"), { target: { value: "Хочет замер в субботу" } });
    fireEvent.click(form.getByLabelText("Перезвонить"));
    await form.findByLabelText("Часы");
    typeDueTime(form, "16:00");
    fireEvent.click(form.getByRole("button", { name: "Сохранить итог" }));
    expect(await screen.findByText("Итог сохранён: Перезвонить завтра")).toBeTruthy();
    expect(calls.filter((c) => c.method === "POST")).toEqual([
      {
        method: "POST",
        url: WRAP_UP,
        body: {
          result: "Перезвонить завтра",
          sourceConfirmed: true,
          note: "Хочет замер в субботу",
          next: { kind: "callback", dueAt: new Date(2026, 2, 5, 16, 0).toISOString() },
        },
      },
    ]);
    expect(useAgentState.getState().current?.state).toBe("available");
  });

  it("sends a source the agent picked instead of the call's, and a deal in kopecks", async () => {
    const calls = stubFetch(({ method, url }) => {
      if (url === "/api/v1/sources?active=true") {
        return { body: sources };
      }
      if (url === "/api/v1/pipelines") {
        return { body: { items: [] } };
      }
      return method === "POST"
        ? { body: savedAnswer("Договорились", { kind: "deal", id: TASK }) }
        : undefined;
    });
    renderWithProviders(<IncomingCallCard card={endedCard()} />);
    const form = within(await screen.findByRole("form", { name: "Итог звонка" }));
    fireEvent.change(form.getByLabelText(/^Результат/), { target: { value: "Договорились" } });
    fireEvent.click(await form.findByDisplayValue("Яндекс.Директ"));
    // The dropdown stays display:none under happy-dom (no transition end): its options are there all the same.
    fireEvent.click(await screen.findByRole("option", { name: "Авито", hidden: true }));
    expect(form.getByDisplayValue("Авито")).toBeTruthy();
    fireEvent.click(form.getByLabelText("Сделка"));
    fireEvent.change(form.getByLabelText("Сумма, ₽"), { target: { value: "12 345,5" } });
    fireEvent.click(form.getByRole("button", { name: "Сохранить итог" }));
    await screen.findByText("Итог сохранён: Договорились");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      result: "Договорились",
      sourceId: AVITO,
      sourceConfirmed: true,
      next: { kind: "deal", amount: 1_234_550 },
    });
  });

  it("shows the server's reason on the field it names", async () => {
    stubFetch(({ method, url }) => {
      if (url === "/api/v1/sources?active=true") {
        return { body: sources };
      }
      return method === "POST"
        ? {
            status: 400,
            body: {
              error: {
                code: "invalid_request",
                message: "invalid",
                fields: { "body.result": "too long for the journal", "body.next.dueAt": "not a date" },
              },
            },
          }
        : undefined;
    });
    renderWithProviders(<IncomingCallCard card={endedCard()} />);
    const form = within(await screen.findByRole("form", { name: "Итог звонка" }));
    fireEvent.change(form.getByLabelText(/^Результат/), { target: { value: "Очень длинный итог" } });
    fireEvent.click(form.getByLabelText("Задача"));
    fireEvent.click(form.getByRole("button", { name: "Сохранить итог" }));
    const result = form.getByLabelText(/^Результат/);
    await waitFor(() => expect(result.getAttribute("aria-invalid")).toBe("true"));
    const described = result.getAttribute("aria-describedby") ?? "";
    expect(
      document.getElementById(described.split(" ").find((id) => id.endsWith("error")) ?? "")?.textContent,
    ).toBe("too long for the journal");
    expect(form.getByText("not a date")).toBeTruthy();
    // Both reasons sit on their fields: no general error line repeats them.
    expect(form.queryByRole("alert")).toBeNull();
    expect(screen.queryByText(/^Итог сохранён/)).toBeNull();
  });
});
