import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { CallLegs, talkedExtensions } from "./CallLegs.tsx";

const leg = (agentExt: string | null, answeredAt: string | null) => ({
  agentExt,
  ringingAt: "2026-03-05T07:00:00.000Z",
  answeredAt,
  endedAt: null,
  cause: null,
});

/** A call crm-api merged from both agents' reports: A answered, then transferred it to B. */
const transferred = {
  call: {
    legs: {
      b: leg("102", "2026-03-05T07:00:30.000Z"),
      a: leg("101", "2026-03-05T07:00:04.000Z"),
      consultOnly: leg("103", null),
      customer: leg(null, "2026-03-05T07:00:04.000Z"),
    },
    transfers: [
      { eventId: "e1", at: "2026-03-05T07:00:40.000Z", kind: "attended", fromExt: "101", to: "102" },
    ],
  },
};

const user = (id: string, fullName: string, extension: string) => ({
  id,
  fullName,
  departmentId: "9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
  role: "agent",
  extension,
  isActive: true,
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("CallLegs", () => {
  it("lists the agents who talked, in the order they took the call", () => {
    expect(talkedExtensions(transferred)).toEqual({ extensions: ["101", "102"], transfer: "attended" });
    expect(talkedExtensions({ recordingId: "x" })).toEqual({ extensions: [], transfer: null });
  });

  it("names both agents of a transferred call on the timeline", async () => {
    const users: Record<string, ReturnType<typeof user>> = {
      "101": user("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "Смирнова Анна Павловна", "101"),
      "102": user("2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", "Никитин Артём Олегович", "102"),
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        const ext = new URL(url, "http://x").searchParams.get("q") ?? "";
        return new Response(JSON.stringify({ items: users[ext] ? [users[ext]] : [], nextCursor: null }));
      }),
    );
    renderWithProviders(<CallLegs payload={transferred} />);
    await waitFor(() =>
      expect(screen.getByTestId("call-agents").textContent).toBe(
        "Разговаривали: Смирнова Анна Павловна (101) → Никитин Артём Олегович (102) · перевод с консультацией",
      ),
    );
  });
});
