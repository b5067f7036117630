import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useCalls } from "./callStore.ts";
import { buildPush } from "./testCalls.ts";

const CONTACT_ID = "0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e";
const contact = {
  id: CONTACT_ID,
  lastName: "Иванова",
  firstName: "Мария",
  middleName: null,
  fullName: "Иванова Мария",
  position: null,
  birthday: null,
  note: null,
  ownerId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  sourceId: null,
  phones: [{ phone: "+79123456789", kind: "mobile" }],
  emails: [],
  companies: [{ id: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", name: "ООО «Кухни Плюс»" }],
  fields: {},
  createdAt: "2026-03-01T10:00:00+03:00",
  updatedAt: "2026-03-01T10:00:00+03:00",
};
const empty = { items: [], nextCursor: null };

/** A fake crm-api at the process edge: answers by path, remembers what was asked. */
function stubApi(routes: Record<string, unknown>): string[] {
  const asked: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      asked.push(url);
      const key = Object.keys(routes).find((prefix) => url.startsWith(prefix));
      return key
        ? new Response(JSON.stringify(routes[key]), { status: 200 })
        : new Response(JSON.stringify({ error: { code: "not_found", message: "no" } }), { status: 404 });
    }),
  );
  return asked;
}

beforeEach(() => useCalls.setState({ cards: [] }));
afterEach(() => vi.unstubAllGlobals());

describe("useCalls", () => {
  it("pops a card from the INVITE, looks the number up, then fetches deals, tasks and history", async () => {
    const asked = stubApi({
      "/api/v1/contacts/lookup": { phone: "+79123456789", contact, hidden: false, ownerName: null },
      "/api/v1/deals": empty,
      "/api/v1/tasks": empty,
      [`/api/v1/contacts/${CONTACT_ID}/timeline`]: empty,
      "/api/v1/pipelines": { items: [] },
    });
    useCalls.getState().sipIncoming({ lineId: "L1", number: "89123456789", displayName: "Мария" });
    expect(useCalls.getState().cards[0]).toMatchObject({ key: "sip:L1", contact: undefined });
    await vi.waitFor(() =>
      expect(useCalls.getState().cards[0]).toMatchObject({
        needsExtras: false,
        contact: { fullName: "Иванова Мария", company: { name: "ООО «Кухни Плюс»" }, deals: [] },
      }),
    );
    expect(asked[0]).toBe("/api/v1/contacts/lookup?phone=%2B79123456789");
    expect(asked).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/api\/v1\/deals\?contactId=/),
        expect.stringMatching(/^\/api\/v1\/tasks\?contactId=.*status=open/),
        expect.stringMatching(/timeline\?limit=5$/),
      ]),
    );
  });

  it("makes no request when the CTI card is already there: the INVITE only binds the line", () => {
    const asked = stubApi({});
    useCalls.getState().receive(buildPush());
    useCalls.getState().sipIncoming({ lineId: "L1", number: "+79123456789", pbxCallId: "1700000000.12" });
    expect(useCalls.getState().cards).toHaveLength(1);
    expect(useCalls.getState().cards[0]).toMatchObject({ lineId: "L1", origin: "cti" });
    expect(asked).toEqual([]);
  });
});
