import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeLine } from "../softphone/lines.ts";
import { useSoftphone } from "../softphone/softphoneStore.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { applyEvent, initialCalls, type CallAction, type Card } from "./applyEvent.ts";
import { useCalls } from "./callStore.ts";
import { IncomingCallCard } from "./IncomingCallCard.tsx";
import { buildCardContact } from "./testCalls.ts";

const CALL_ID = "sip:0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e";

function cardOf(...actions: CallAction[]): Card {
  const card = actions.reduce(applyEvent, initialCalls).cards[0];
  if (!card) {
    throw new Error("no card");
  }
  return card;
}

beforeEach(() => {
  useCalls.setState({ cards: [] });
  useSoftphone.setState({ lines: [] });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("warm transfer on the call card", () => {
  it("shows B the client and A's note first on the consult call's card", () => {
    const card = cardOf(
      {
        type: "sip.incoming",
        lineId: "L7",
        number: "101",
        displayName: "Смирнова Анна",
        pbxCallId: CALL_ID,
        now: 0,
      },
      {
        type: "handover",
        handover: {
          callId: CALL_ID,
          interactionId: null,
          from: {
            userId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
            fullName: "Смирнова Анна",
            extension: "101",
          },
          note: "Хочет скидку 10%, замер в субботу",
          card: { contact: buildCardContact() },
          at: "2026-03-05T10:01:00+03:00",
        },
      },
    );
    renderWithProviders(<IncomingCallCard card={card} />);
    const note = screen.getByTestId("handover-note");
    expect(within(note).getByText("Звонок передаёт Смирнова Анна, внутр. 101")).toBeTruthy();
    expect(within(note).getByText("Хочет скидку 10%, замер в субботу")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Иванова Мария Петровна" })).toBeTruthy();
    expect(screen.getByText("ООО «Кухни Плюс»")).toBeTruthy();
  });

  it("names no client on the consult card until the note or the call says who it is", () => {
    const card = cardOf({
      type: "sip.incoming",
      lineId: "L7",
      number: "101",
      displayName: "Смирнова Анна",
      pbxCallId: CALL_ID,
      now: 0,
    });
    renderWithProviders(<IncomingCallCard card={card} />);
    expect(screen.getByRole("heading", { name: "Клиент от коллеги" })).toBeTruthy();
    expect(screen.getByText("Коллега пока не оставил записку")).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Новый клиент" })).toBeNull();
  });

  it("lets A write a note for the colleague being consulted, filed under the call", async () => {
    const card = cardOf(
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", sipCallId: CALL_ID, now: 0 },
      { type: "sip.answered", lineId: "L1", now: 1000 },
    );
    const consult = {
      ...makeLine({
        id: "L2",
        direction: "out",
        number: "102",
        displayName: undefined,
        pbxCallId: undefined,
        consultFor: "L1",
        now: 2000,
      }),
      status: "active" as const,
    };
    useSoftphone.setState({ lines: [consult] });
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({ toUserId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", noteInteractionId: null }),
        ),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<IncomingCallCard card={card} />);
    // The form loads with the softphone (a lazy chunk of its own).
    fireEvent.change(await screen.findByLabelText("Записка для 102"), {
      target: { value: "  Хочет скидку  " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Передать записку" }));
    await waitFor(() => expect(screen.getByText("Записка передана")).toBeTruthy());
    expect(fetchMock).toHaveBeenCalledWith(
      "/api/v1/calls/handover",
      expect.objectContaining({
        method: "POST",
        body: JSON.stringify({ toExtension: "102", callId: CALL_ID, note: "Хочет скидку" }),
      }),
    );
  });

  it("offers no note when the agent consults no colleague", async () => {
    const card = cardOf(
      { type: "sip.incoming", lineId: "L1", number: "+79123456789", sipCallId: CALL_ID, now: 0 },
      { type: "sip.answered", lineId: "L1", now: 1000 },
    );
    renderWithProviders(<IncomingCallCard card={card} />);
    // Once the lazy form has loaded and rendered, it still offers nothing.
    await act(async () => {
      await import("./HandoverForm.tsx");
    });
    expect(screen.queryByRole("button", { name: "Передать записку" })).toBeNull();
  });
});
