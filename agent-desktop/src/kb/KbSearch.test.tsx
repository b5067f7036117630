import { cleanup, fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { requestsOf, stubApi } from "../scripts/testScripts.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import "./i18n.ts";
import { KbSearch } from "./KbSearch.tsx";

const HIT = {
  id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  title: "Рассрочка и способы оплаты",
  categoryId: null,
  snippet: "&lt;img src=x onerror=alert(1)&gt; <mark>Рассрочка</mark> 0 % &amp; без взноса",
  isTitleMatch: true,
  rank: 0.9,
};

function Host({ onOpen }: { onOpen: (id: string) => void }) {
  const [query, setQuery] = useState("");
  return <KbSearch query={query} onQueryChange={setQuery} onOpen={onOpen} />;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("KbSearch", () => {
  it("shows the hit with the match highlighted and the escaped markup as plain text", async () => {
    const fetchMock = stubApi([
      { method: "GET", path: /^\/kb\/search\?/, reply: () => ({ body: { items: [HIT] } }) },
    ]);
    const onOpen = vi.fn();
    renderWithProviders(<Host onOpen={onOpen} />);
    fireEvent.change(screen.getByLabelText("Поиск в базе знаний"), { target: { value: "рассрочка" } });
    const snippet = await screen.findByTestId("kb-snippet");
    expect(snippet.querySelector("mark")?.textContent).toBe("Рассрочка");
    expect(snippet.querySelector("img")).toBeNull();
    expect(snippet.textContent).toBe("<img src=x onerror=alert(1)> Рассрочка 0 % & без взноса");
    expect(requestsOf(fetchMock)).toEqual([
      ["GET", "/kb/search?q=%D1%80%D0%B0%D1%81%D1%81%D1%80%D0%BE%D1%87%D0%BA%D0%B0&limit=20", undefined],
    ]);
    fireEvent.click(screen.getByText("Рассрочка и способы оплаты"));
    expect(onOpen).toHaveBeenCalledWith(HIT.id);
  });

  it("searches once the typing pauses, not on every key", async () => {
    const fetchMock = stubApi([
      { method: "GET", path: /^\/kb\/search\?/, reply: () => ({ body: { items: [] } }) },
    ]);
    renderWithProviders(<Host onOpen={vi.fn()} />);
    const box = screen.getByLabelText("Поиск в базе знаний");
    for (const value of ["д", "до", "дос", "дост"]) {
      fireEvent.change(box, { target: { value } });
    }
    expect(await screen.findByText("Ничего не нашлось по запросу «дост»")).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
