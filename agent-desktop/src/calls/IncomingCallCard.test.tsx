import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { applyEvent, initialCalls, type Card } from "./applyEvent.ts";
import { useCalls } from "./callStore.ts";
import { IncomingCallCard } from "./IncomingCallCard.tsx";
import { buildCardContact, buildPush } from "./testCalls.ts";

function cardOf(...actions: Parameters<typeof applyEvent>[1][]): Card {
  const card = actions.reduce(applyEvent, initialCalls).cards[0];
  if (!card) {
    throw new Error("no card");
  }
  return card;
}

beforeEach(() => {
  useCalls.setState({ cards: [] });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("IncomingCallCard", () => {
  it("shows the caller, the company, every phone in Russian format, the source and the campaign", () => {
    renderWithProviders(<IncomingCallCard card={cardOf({ type: "call", call: buildPush(), now: 0 })} />);
    expect(screen.getByRole("heading", { name: "Иванова Мария Петровна" })).toBeTruthy();
    expect(screen.getByText("ООО «Кухни Плюс»")).toBeTruthy();
    expect(screen.getAllByText("+7 (912) 345-67-89").length).toBeGreaterThan(0);
    expect(screen.getByText("+7 (495) 123-45-67")).toBeTruthy();
    expect(screen.getByText("Источник: Яндекс.Директ")).toBeTruthy();
    expect(screen.getByText("Кампания: Контекст — кухни")).toBeTruthy();
    expect(screen.getByText("Входящий звонок")).toBeTruthy();
    expect(screen.getByText("Звонит")).toBeTruthy();
  });

  it("lists the open deals with stage and amount, overdue tasks and the last calls", () => {
    renderWithProviders(<IncomingCallCard card={cardOf({ type: "call", call: buildPush(), now: 0 })} />);
    expect(screen.getByRole("link", { name: "Кухня на заказ" })).toBeTruthy();
    expect(screen.getByText(/Продажи · Замер · 450\s000\s₽/)).toBeTruthy();
    expect(screen.getByText("Перезвонить по замеру")).toBeTruthy();
    expect(screen.getByText(/Просрочена/)).toBeTruthy();
    expect(screen.getByText("Звонок, входящий · 3:04")).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Новый клиент" })).toBeNull();
  });

  it("says whose client a hidden caller is, and nothing more", () => {
    const push = buildPush({ card: { contact: { hidden: true, ownerName: "Сидорова Анна" } } });
    renderWithProviders(<IncomingCallCard card={cardOf({ type: "call", call: push, now: 0 })} />);
    expect(screen.getByText("Клиент менеджера Сидорова Анна")).toBeTruthy();
    expect(screen.queryByText("Открытые сделки")).toBeNull();
  });

  it("offers the quick form and the attach search for an unknown caller", () => {
    const push = buildPush({ card: { contact: null } });
    renderWithProviders(<IncomingCallCard card={cardOf({ type: "call", call: push, now: 0 })} />);
    expect(screen.getByRole("heading", { name: "+7 (912) 345-67-89" })).toBeTruthy();
    const form = screen.getByRole("form", { name: "Новый клиент" });
    expect(form).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>("Источник").value).toBe("Яндекс.Директ");
    expect(screen.getByPlaceholderText("Найти контакт по имени или телефону")).toBeTruthy();
  });

  it("treats the contact the CTI made up for an unknown number as unknown", () => {
    const contact = buildCardContact({ fullName: "Новый клиент", isSourceConfirmed: false, company: null });
    renderWithProviders(
      <IncomingCallCard card={cardOf({ type: "call", call: buildPush({ card: { contact } }), now: 0 })} />,
    );
    expect(screen.getByRole("heading", { name: "+7 (912) 345-67-89" })).toBeTruthy();
    expect(screen.getByRole("form", { name: "Новый клиент" })).toBeTruthy();
    expect(screen.getByText("Источник не подтверждён")).toBeTruthy();
  });

  it("completes the CTI's provisional contact instead of creating a second one", async () => {
    const contact = buildCardContact({ fullName: "Новый клиент", isSourceConfirmed: false, company: null });
    const card = cardOf({ type: "call", call: buildPush({ card: { contact } }), now: 0 });
    useCalls.setState({ cards: [card] });
    const saved = {
      id: contact.id,
      lastName: "Смирнов",
      firstName: "Олег",
      middleName: null,
      fullName: "Смирнов Олег",
      position: null,
      birthday: null,
      note: null,
      ownerId: contact.ownerId,
      sourceId: null,
      phones: [{ phone: "+79123456789", kind: "mobile" }],
      emails: [],
      companies: [],
      fields: {},
      createdAt: "2026-03-05T10:00:00+03:00",
      updatedAt: "2026-03-05T10:01:00+03:00",
    };
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(saved), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<IncomingCallCard card={card} />);
    fireEvent.change(screen.getByLabelText(/^Имя/), { target: { value: "Олег" } });
    fireEvent.change(screen.getByLabelText("Фамилия"), { target: { value: "Смирнов" } });
    fireEvent.click(screen.getByRole("button", { name: "Создать контакт" }));
    await waitFor(() =>
      expect(useCalls.getState().cards[0]?.contact).toMatchObject({ fullName: "Смирнов Олег" }),
    );
    expect(fetchMock).toHaveBeenCalledWith(
      `/api/v1/contacts/${contact.id}`,
      expect.objectContaining({
        method: "PATCH",
        body: JSON.stringify({ firstName: "Олег", lastName: "Смирнов" }),
      }),
    );
  });
});
