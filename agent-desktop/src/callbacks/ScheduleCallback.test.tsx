import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch, type FetchCall } from "../agent/testFetch.ts";
import { applyEvent, initialCalls, type Card } from "../calls/applyEvent.ts";
import { IncomingCallCard } from "../calls/IncomingCallCard.tsx";
import { buildPush } from "../calls/testCalls.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { buildTask, CONTACT_ID, typeDueTime } from "./testCallbacks.ts";

function cardOf(push = buildPush()): Card {
  const card = applyEvent(initialCalls, { type: "call", call: push, now: 0 }).cards[0];
  if (!card) {
    throw new Error("no card");
  }
  return card;
}

/** The POST /tasks requests among everything the card loads (its script, the caller lookup). */
const taskPosts = (calls: FetchCall[]) =>
  calls.filter((c) => c.method === "POST" && c.url === "/api/v1/tasks");

async function openForm(card: Card) {
  renderWithProviders(<IncomingCallCard card={card} />);
  fireEvent.click(screen.getByRole("button", { name: "Запланировать перезвон" }));
  return screen.findByRole("form", { name: "Перезвонить клиенту" });
}

beforeEach(() => {
  // Only the clock: the form's default due time is an hour from "now".
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 5, 9, 0));
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("scheduling a callback from the call card", () => {
  it("creates a callback task for the contact that reminds at the due time, with the note", async () => {
    const calls = stubFetch(({ method, url }) =>
      method === "POST" && url === "/api/v1/tasks" ? { status: 201, body: buildTask() } : undefined,
    );
    const posted = () => taskPosts(calls);
    await openForm(cardOf());
    // The contact has two numbers: the one that called is picked.
    expect(screen.getByDisplayValue("+7 (912) 345-67-89")).toBeTruthy();
    typeDueTime(screen, "14:30");
    fireEvent.change(screen.getByLabelText("Заметка"), { target: { value: "  Уточнить размеры кухни " } });
    fireEvent.click(screen.getByRole("button", { name: "Запланировать" }));
    await waitFor(() => expect(posted()).toHaveLength(1));
    const due = new Date(2026, 2, 5, 14, 30).toISOString();
    expect(posted()[0]!.body).toEqual({
      type: "callback",
      title: "Перезвонить: Иванова Мария Петровна",
      description: "Уточнить размеры кухни",
      dueAt: due,
      remindAt: due,
      phone: "+79123456789",
      contactId: CONTACT_ID,
    });
    await waitFor(() => expect(screen.queryByRole("form", { name: "Перезвонить клиенту" })).toBeNull());
  });

  it("refuses a time that has already passed, without asking crm-api", async () => {
    const calls = stubFetch(() => undefined);
    await openForm(cardOf());
    typeDueTime(screen, "08:00");
    fireEvent.click(screen.getByRole("button", { name: "Запланировать" }));
    expect(await screen.findByText("Это время уже прошло")).toBeTruthy();
    expect(taskPosts(calls)).toEqual([]);
  });

  it("names an unknown caller's task by the number and links no contact", async () => {
    const calls = stubFetch(({ method }) =>
      method === "POST" ? { status: 201, body: buildTask({ contactId: null }) } : undefined,
    );
    await openForm(cardOf(buildPush({ card: { contact: null } })));
    expect(screen.getByText("Номер: +7 (912) 345-67-89")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Запланировать" }));
    await waitFor(() => expect(taskPosts(calls)).toHaveLength(1));
    expect(taskPosts(calls)[0]!.body).toMatchObject({
      title: "Перезвонить: +7 (912) 345-67-89",
      description: null,
      phone: "+79123456789",
      contactId: null,
      dueAt: new Date(2026, 2, 5, 10, 0).toISOString(),
    });
  });

  it("shows the server's reason when crm-api refuses the task", async () => {
    stubFetch(({ method }) =>
      method === "POST"
        ? {
            status: 400,
            body: {
              error: {
                code: "invalid_request",
                message: "bad phone",
                fields: { "body.phone": "not a valid phone number" },
              },
            },
          }
        : undefined,
    );
    const form = within(await openForm(cardOf()));
    fireEvent.click(form.getByRole("button", { name: "Запланировать" }));
    expect((await form.findByRole("alert")).textContent).toBe("not a valid phone number");
  });

  it("offers no callback for a call without an outside number", () => {
    stubFetch(() => undefined);
    renderWithProviders(
      <IncomingCallCard
        card={cardOf(buildPush({ direction: "internal", from: "102", card: { contact: null } }))}
      />,
    );
    expect(screen.queryByRole("button", { name: "Запланировать перезвон" })).toBeNull();
  });
});
