import type { ScriptGraph, ScriptVersion } from "@okno/scripts-kb";
import { vi } from "vitest";

export const ARTICLE_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
export const VERSION_ID = "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
export const SCRIPT_ID = "8c7d6e5f-4a3b-4c2d-8e1f-0a9b8c7d6e5f";

/** A short inbound script: greet, ask the name (into the contact), the need, the end. */
export const salesGraph: ScriptGraph = {
  start: "greet",
  nodes: [
    {
      id: "greet",
      type: "say",
      text: "Здравствуйте! Фабрика «Уют», меня зовут {agent.fullName}.",
      next: "name",
    },
    {
      id: "name",
      type: "capture",
      text: "Как я могу к вам обращаться?",
      target: { entity: "contact", field: "firstName" },
      isOptional: true,
      next: "need",
    },
    {
      id: "need",
      type: "question",
      text: "{contact.firstName}, что вы хотели бы заказать?",
      articleIds: [ARTICLE_ID],
      answers: [
        { id: "kitchen", label: "Кухню", next: "won" },
        { id: "no", label: "Не интересно", next: "lost" },
      ],
    },
    { id: "won", type: "end", outcome: "success", text: "Спасибо! Дизайнер позвонит накануне." },
    { id: "lost", type: "end", outcome: "refused" },
  ],
};

export function buildVersion(overrides: Partial<ScriptVersion> = {}): ScriptVersion {
  return {
    id: VERSION_ID,
    scriptId: SCRIPT_ID,
    name: "Входящий звонок: продажа замера",
    version: 3,
    graph: salesGraph,
    publishedAt: "2026-03-01T10:00:00+03:00",
    publishedBy: null,
    ...overrides,
  };
}

export interface Route {
  method: string;
  /** Matched against the path and query after /api/v1. */
  path: RegExp;
  reply: (body: unknown, url: string) => { status?: number; body: unknown };
}

/** A fetch that answers like crm-api for the routes given and 404s the rest; calls are in `.mock.calls`. */
export function stubApi(routes: Route[]) {
  const fetchMock = vi.fn(async (input: string, init?: RequestInit) => {
    const url = String(input).replace(/^\/api\/v1/, "");
    const method = init?.method ?? "GET";
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const route = routes.find((r) => r.method === method && r.path.test(url));
    const answer = route
      ? route.reply(body, url)
      : { status: 404, body: { error: { code: "not_found", message: `no route ${method} ${url}` } } };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** The requests a stub received, as [method, path, body]. */
export function requestsOf(fetchMock: ReturnType<typeof stubApi>): [string, string, unknown][] {
  return fetchMock.mock.calls.map(([input, init]) => [
    init?.method ?? "GET",
    String(input).replace(/^\/api\/v1/, ""),
    typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
  ]);
}
