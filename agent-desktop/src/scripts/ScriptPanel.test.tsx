import type { Me } from "@okno/contracts";
import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useAuth } from "../auth/authStore.ts";
import { applyEvent, initialCalls, type Card } from "../calls/applyEvent.ts";
import { useCalls } from "../calls/callStore.ts";
import { buildPush } from "../calls/testCalls.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { useScriptRuns } from "./runStore.ts";
import { ScriptPanel } from "./ScriptPanel.tsx";
import {
  ARTICLE_ID,
  buildVersion,
  requestsOf,
  SCRIPT_ID,
  stubApi,
  VERSION_ID,
  type Route,
} from "./testScripts.ts";

const INTERACTION_ID = "7d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f";
const CONTACT_ID = "0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e";

function cardOf(state: "answered" | "ended" = "answered"): Card {
  const card = applyEvent(initialCalls, { type: "call", call: buildPush({ state: "answered" }), now: 0 })
    .cards[0]!;
  return { ...card, state };
}

/** The panel inside a card that follows the call store, as in the app. */
function CardHost() {
  const card = useCalls((s) => s.cards[0]);
  return card ? <ScriptPanel card={card} /> : null;
}

const me = { id: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", fullName: "Петров Иван", extension: "101" } as Me;

const savedRun = (body: unknown) => {
  const { answers, path } = body as { answers: unknown[]; path: string[] };
  return {
    id: "4e3d2c1b-0a9f-4e8d-9c7b-6a5f4e3d2c1b",
    interactionId: INTERACTION_ID,
    versionId: VERSION_ID,
    scriptId: SCRIPT_ID,
    version: 3,
    status: "ended",
    outcome: "success",
    path,
    answers,
    captures: [
      { nodeId: "name", entity: "contact", recordId: CONTACT_ID, field: "firstName", value: "Мария" },
    ],
    createdBy: me.id,
    createdAt: "2026-03-05T10:05:00+03:00",
  };
};

function routes(overrides: Route[] = []): Route[] {
  return [
    ...overrides,
    {
      method: "GET",
      path: /^\/scripts\/resolve\?/,
      reply: () => ({
        body: {
          script: {
            assignment: { kind: "line", value: "+74957654321", priority: 0 },
            version: buildVersion(),
          },
        },
      }),
    },
    { method: "GET", path: /^\/scripts$/, reply: () => ({ body: { items: [] } }) },
    { method: "POST", path: /\/script-run$/, reply: (body) => ({ status: 201, body: savedRun(body) }) },
  ];
}

beforeEach(() => {
  useScriptRuns.setState({ runs: {} });
  useAuth.setState({ me, status: "signedIn" });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function walkToQuestion() {
  fireEvent.click(await screen.findByRole("button", { name: "Далее" }));
  fireEvent.change(screen.getByLabelText("Как я могу к вам обращаться?"), { target: { value: "Мария" } });
  fireEvent.click(screen.getByRole("button", { name: "Далее" }));
  await screen.findByRole("button", { name: "Кухню" });
}

describe("ScriptPanel", () => {
  it("opens the script assigned to the call with the agent's name in the greeting", async () => {
    const fetchMock = stubApi(routes());
    renderWithProviders(<ScriptPanel card={cardOf()} />);
    expect(await screen.findByText("Входящий звонок: продажа замера")).toBeTruthy();
    expect(screen.getByText("версия 3")).toBeTruthy();
    expect(screen.getByText("Петров Иван").tagName).toBe("STRONG");
    expect(requestsOf(fetchMock)).toContainEqual([
      "GET",
      "/scripts/resolve?callId=ast1%3A1700000000.12",
      undefined,
    ]);
  });

  it("moves to the node an answer leads to, with the captured name in its text", async () => {
    stubApi(routes());
    renderWithProviders(<ScriptPanel card={cardOf()} />);
    await walkToQuestion();
    expect(screen.getByText("Мария").tagName).toBe("STRONG");
    fireEvent.click(screen.getByRole("button", { name: "Кухню" }));
    expect(await screen.findByText("Спасибо! Дизайнер позвонит накануне.")).toBeTruthy();
    expect(screen.getByText("Скрипт пройден: Успех")).toBeTruthy();
  });

  it("goes back one answer and keeps the run replayable", async () => {
    stubApi(routes());
    renderWithProviders(<ScriptPanel card={cardOf()} />);
    await walkToQuestion();
    fireEvent.click(screen.getByRole("button", { name: "Назад" }));
    expect(await screen.findByLabelText("Как я могу к вам обращаться?")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Кухню" })).toBeNull();
  });

  it("posts the path and the captured value to the interaction when the script ends", async () => {
    const fetchMock = stubApi(routes());
    renderWithProviders(<ScriptPanel card={cardOf()} />);
    await walkToQuestion();
    fireEvent.click(screen.getByRole("button", { name: "Кухню" }));
    expect(await screen.findByText("Ответы сохранены, в карточку записано полей: 1")).toBeTruthy();
    const posts = requestsOf(fetchMock).filter(([method]) => method === "POST");
    expect(posts).toEqual([
      [
        "POST",
        `/interactions/${INTERACTION_ID}/script-run`,
        {
          versionId: VERSION_ID,
          path: ["greet", "name", "need", "won"],
          answers: [
            { kind: "next", nodeId: "greet" },
            { kind: "capture", nodeId: "name", value: "Мария" },
            { kind: "answer", nodeId: "need", answerId: "kitchen" },
          ],
        },
      ],
    ]);
  });

  it("saves what the agent did when the call ends mid-script, and shows a refusal with a retry", async () => {
    let attempts = 0;
    const refuse: Route = {
      method: "POST",
      path: /\/script-run$/,
      reply: (body) =>
        ++attempts === 1
          ? {
              status: 400,
              body: {
                error: {
                  code: "invalid_request",
                  message: "captured value refused",
                  fields: { "captures.contact.firstName": "too long" },
                },
              },
            }
          : { status: 201, body: savedRun(body) },
    };
    const fetchMock = stubApi(routes([refuse]));
    useCalls.setState({ cards: [cardOf()] });
    renderWithProviders(<CardHost />);
    await walkToQuestion();
    act(() => useCalls.setState({ cards: [cardOf("ended")] }));
    expect((await screen.findByRole("alert")).textContent).toContain("captures.contact.firstName: too long");
    fireEvent.click(screen.getByRole("button", { name: "Повторить" }));
    expect(await screen.findByText(/Ответы сохранены/)).toBeTruthy();
    const posts = requestsOf(fetchMock).filter(([method]) => method === "POST");
    expect(posts).toHaveLength(2);
    expect(posts[1]![2]).toMatchObject({ path: ["greet", "name", "need"] });
  });

  it("says when no script is assigned and still opens the knowledge base", async () => {
    stubApi(
      routes([{ method: "GET", path: /^\/scripts\/resolve/, reply: () => ({ body: { script: null } }) }]),
    );
    renderWithProviders(<ScriptPanel card={cardOf()} />);
    expect(await screen.findByText("На этот звонок скрипт не назначен")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "База знаний" }));
    expect(await screen.findByLabelText("Поиск в базе знаний")).toBeTruthy();
  });

  it("opens an article a node links to beside the call", async () => {
    const article = {
      id: ARTICLE_ID,
      title: "Бесплатный замер",
      bodyMd: "Замерщик приезжает **бесплатно**.",
      categoryId: null,
      roles: [],
      isPublished: true,
      attachments: [],
      createdAt: "2026-03-01T10:00:00+03:00",
      updatedAt: "2026-03-02T10:00:00+03:00",
    };
    stubApi(routes([{ method: "GET", path: /^\/kb\/articles\//, reply: () => ({ body: article }) }]));
    renderWithProviders(<ScriptPanel card={cardOf()} />);
    await walkToQuestion();
    fireEvent.click(await screen.findByRole("button", { name: "Бесплатный замер" }));
    expect(await screen.findByRole("article", { name: "Бесплатный замер" })).toBeTruthy();
    expect(screen.getByText("бесплатно").tagName).toBe("STRONG");
  });
});
