import { cleanup, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useAgentState } from "../agent/agentStore.ts";
import { stubFetch } from "../agent/testFetch.ts";
import { applyEvent, initialCalls, type Card } from "../calls/applyEvent.ts";
import { IncomingCallCard } from "../calls/IncomingCallCard.tsx";
import { buildPush } from "../calls/testCalls.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { useWrapUps } from "./wrapUpStore.ts";

const YANDEX = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const AVITO = "8a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

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
    { id: YANDEX, name: "Яндекс.Директ" },
    { id: AVITO, name: "Авито" },
  ],
};

beforeEach(() => {
  useWrapUps.setState({ saved: {} });
  useAgentState.setState({ current: null, pbxError: null });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("WrapUpPanel", () => {
  it("appears on the card when an answered call ends", async () => {
    stubFetch(({ url }) => (url === "/api/v1/sources" ? { body: sources } : undefined));
    renderWithProviders(<IncomingCallCard card={endedCard()} />);
    expect(await screen.findByRole("form", { name: "Итог звонка" })).toBeTruthy();
    expect(screen.getByText(/Обработка после звонка · 0:0\d/)).toBeTruthy();
  });

  // TODO(#5): flaky under load (the sources Select fills late in happy-dom); covered by the API tests.
  it.todo("posts the result, the confirmed source, the note and a callback, then ends the ACW");

  // TODO(#5): Mantine Select and DateInput queries under happy-dom; this case is covered only by hand so far.
  it.todo("sends a source the agent picked instead of the call's, and a deal in kopecks");

  // TODO(#5): Mantine Select and DateInput queries under happy-dom; this case is covered only by hand so far.
  it.todo("shows the server's reason on the field it names");
});
