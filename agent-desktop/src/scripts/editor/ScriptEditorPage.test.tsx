import type { Me } from "@okno/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useAuth } from "../../auth/authStore.ts";
import { renderWithProviders } from "../../ui/renderWithProviders.tsx";
import { buildVersion, requestsOf, SCRIPT_ID, stubApi, type Route } from "../testScripts.ts";
import { ScriptsAdminPage } from "./ScriptsAdminPage.tsx";

const draft = {
  start: "greet",
  nodes: [
    { id: "greet", type: "say", text: "Здравствуйте, {contact.firstName}!", next: "ask" },
    {
      id: "ask",
      type: "question",
      text: "Удобно говорить?",
      answers: [
        { id: "yes", label: "Да", next: "won" },
        { id: "no", label: "Нет", next: "gone" },
      ],
    },
    { id: "won", type: "end", outcome: "success" },
  ],
};

const detail = (d: unknown) => ({
  id: SCRIPT_ID,
  name: "Исходящий: напоминание",
  description: null,
  isArchived: false,
  latestVersion: {
    id: "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
    version: 3,
    publishedAt: "2026-03-01T10:00:00+03:00",
  },
  assignments: [{ kind: "line", value: "+74951234567", priority: 0 }],
  updatedAt: "2026-03-01T10:00:00+03:00",
  draft: d,
  problems: [],
});

const supervisor = {
  id: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  fullName: "Сидорова Анна",
  role: "supervisor",
  permissions: { canAdminister: false },
} as unknown as Me;

function routes(): Route[] {
  let saved: unknown = draft;
  return [
    { method: "GET", path: new RegExp(`^/scripts/${SCRIPT_ID}$`), reply: () => ({ body: detail(saved) }) },
    {
      method: "PATCH",
      path: new RegExp(`^/scripts/${SCRIPT_ID}$`),
      reply: (body) => {
        saved = (body as { draft: unknown }).draft;
        return { body: detail(saved) };
      },
    },
    {
      method: "POST",
      path: /\/publish$/,
      reply: () => ({
        status: 201,
        body: buildVersion({
          id: "0f1e2d3c-4b5a-4978-8c6d-5e4f3a2b1c0d",
          version: 4,
          publishedAt: "2026-03-05T12:00:00+03:00",
          graph: saved as never,
        }),
      }),
    },
    { method: "GET", path: /^\/kb\/articles$/, reply: () => ({ body: { items: [] } }) },
    { method: "GET", path: /^\/fields\?/, reply: () => ({ body: { items: [] } }) },
  ];
}

beforeEach(() => useAuth.setState({ me: supervisor, status: "signedIn" }));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// Mantine forms in happy-dom are slow to render: a whole editor takes a few seconds.
describe("ScriptEditorPage", { timeout: 20_000 }, () => {
  it("shows the problem on the step that has it and keeps the draft from being published", async () => {
    stubApi(routes());
    renderWithProviders(<ScriptsAdminPage id={SCRIPT_ID} />);
    const ask = await screen.findByLabelText("Вопрос ask");
    expect(within(ask).getByRole("alert").textContent).toBe(
      "answers.no leads to «gone», which does not exist",
    );
    expect(within(screen.getByLabelText("Реплика greet")).queryByRole("alert")).toBeNull();
    expect(screen.getByRole("button", { name: "Опубликовать" }).hasAttribute("disabled")).toBe(true);
    expect(screen.getByText("Скрипт с ошибками проверить нельзя")).toBeTruthy();
  });

  it("publishes a new version once the problem is fixed, saving the draft first", async () => {
    const fetchMock = stubApi(routes());
    renderWithProviders(<ScriptsAdminPage id={SCRIPT_ID} />);
    const ask = await screen.findByLabelText("Вопрос ask");
    fireEvent.click(within(ask).getAllByRole("button", { name: "Убрать ответ" })[1]!);
    expect(await screen.findByText("Ошибок нет — можно публиковать")).toBeTruthy();
    // The dry run walks the fixed draft with the sample caller.
    expect(within(screen.getByRole("region", { name: "Проверка" })).getByText("Мария")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Опубликовать" }));
    await waitFor(() =>
      expect(requestsOf(fetchMock).some(([m, p]) => m === "POST" && p.endsWith("/publish"))).toBe(true),
    );
    fireEvent.click(screen.getByRole("tab", { name: "Версии" }));
    expect(await screen.findByText(/^Версия 4 от/)).toBeTruthy();
    expect(screen.getByText(/^Версия 3 от/)).toBeTruthy();
    const writes = requestsOf(fetchMock).filter(([method]) => method !== "GET");
    expect(writes.map(([method, path]) => `${method} ${path}`)).toEqual([
      `PATCH /scripts/${SCRIPT_ID}`,
      `POST /scripts/${SCRIPT_ID}/publish`,
    ]);
    const body = writes[0]![2] as { draft: typeof draft };
    expect(body.draft.nodes[1]).toMatchObject({ answers: [{ id: "yes", label: "Да", next: "won" }] });
  });

  it("adds a step, moves it up and shows what the new step lacks", async () => {
    stubApi(routes());
    renderWithProviders(<ScriptsAdminPage id={SCRIPT_ID} />);
    const ask = await screen.findByLabelText("Вопрос ask");
    fireEvent.click(within(ask).getAllByRole("button", { name: "Убрать ответ" })[1]!);
    fireEvent.click(screen.getByRole("button", { name: "Реплика" }));
    const added = await screen.findByLabelText("Реплика say");
    fireEvent.click(within(added).getByRole("button", { name: "Выше" }));
    await waitFor(() => {
      const cards = screen
        .getAllByLabelText(/^(Реплика|Вопрос|Конец) /)
        .map((c) => c.getAttribute("aria-label"));
      expect(cards).toEqual(["Реплика greet", "Вопрос ask", "Реплика say", "Конец won"]);
    });
    expect(
      within(screen.getByLabelText("Реплика say"))
        .getAllByRole("alert")
        .map((a) => a.textContent),
    ).toContain("text: Too small: expected string to have >=1 characters");
  });

  it("tells an agent the editor is for supervisors", () => {
    useAuth.setState({ me: { ...supervisor, role: "agent" } });
    renderWithProviders(<ScriptsAdminPage />);
    expect(screen.getByText("Скрипты редактируют супервизоры и администраторы")).toBeTruthy();
  });
});
