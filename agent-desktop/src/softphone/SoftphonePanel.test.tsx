import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { LineCard } from "./LineCard.tsx";
import type { Line } from "./lines.ts";
import { makeLine } from "./lines.ts";
import { SoftphonePanel } from "./SoftphonePanel.tsx";
import { useSoftphone } from "./softphoneStore.ts";

const line = (patch: Partial<Line>): Line => ({
  ...makeLine({
    id: "line-1",
    direction: "in",
    number: "+79123456789",
    displayName: "Ирина",
    pbxCallId: undefined,
    now: 0,
  }),
  ...patch,
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("SoftphonePanel", () => {
  it("says the softphone is not set up when crm-api knows no extension for the user", async () => {
    const notFound = { error: { code: "not_found", message: "you have no SIP extension" } };
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify(notFound), { status: 404 })),
    );
    renderWithProviders(<SoftphonePanel />);
    await waitFor(() => expect(screen.getByText("Софтфон не настроен: нет внутреннего номера")).toBeTruthy());
    expect(screen.queryByRole("button", { name: "Позвонить" })).toBeNull();
  });
});

describe("LineCard", () => {
  it("offers answer and decline for a ringing call, with the number in Russian format", () => {
    const answer = vi.fn(async () => undefined);
    useSoftphone.setState({ answer });
    renderWithProviders(<LineCard line={line({})} />);
    expect(screen.getByText("+7 (912) 345-67-89")).toBeTruthy();
    expect(screen.getByText("Входящий звонок")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Ответить" }));
    expect(answer).toHaveBeenCalledWith("line-1");
    expect(screen.getByRole("button", { name: "Отклонить" })).toBeTruthy();
  });

  it("completes or cancels a warm transfer from the consult line", () => {
    const completeTransfer = vi.fn(async () => undefined);
    const cancelConsult = vi.fn(async () => undefined);
    useSoftphone.setState({ completeTransfer, cancelConsult });
    renderWithProviders(
      <LineCard line={line({ id: "line-2", number: "102", status: "active", consultFor: "line-1" })} />,
    );
    expect(screen.getByText("Консультация")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Соединить" }));
    expect(completeTransfer).toHaveBeenCalledWith("line-2");
    fireEvent.click(screen.getByRole("button", { name: "Вернуться к клиенту" }));
    expect(cancelConsult).toHaveBeenCalledWith("line-2");
  });

  it("mutes and holds a call in progress, and consults a colleague typed in the transfer field", () => {
    const toggleMute = vi.fn();
    const toggleHold = vi.fn(async () => undefined);
    const startConsult = vi.fn(async () => undefined);
    useSoftphone.setState({ toggleMute, toggleHold, startConsult });
    renderWithProviders(<LineCard line={line({ status: "active" })} />);
    fireEvent.click(screen.getByRole("button", { name: "Выключить микрофон" }));
    expect(toggleMute).toHaveBeenCalledWith("line-1");
    fireEvent.click(screen.getByRole("button", { name: "Удержание" }));
    expect(toggleHold).toHaveBeenCalledWith("line-1");
    fireEvent.change(screen.getByLabelText("Кому: внутренний или номер"), { target: { value: "102" } });
    fireEvent.click(screen.getByRole("button", { name: "Консультация" }));
    expect(startConsult).toHaveBeenCalledWith("line-1", "102");
  });
});
