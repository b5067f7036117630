import type { CallEvent } from "@okno/contracts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useCalls } from "../calls/callStore.ts";
import { buildPush } from "../calls/testCalls.ts";
import { consultHeaders, flushLegReports, startLegReports, stopLegReports } from "./callReporting.ts";
import { GRACE_MS } from "./legReporter.ts";
import { makeLine } from "./lines.ts";
import { extractRemoteParty } from "./remoteParty.ts";

interface Post {
  url: string;
  events: CallEvent[];
}

/** crm-api at the process edge: leg reports fail while `down`, the screen-pop lookup finds nobody. */
function stubCrmApi() {
  const api = { down: false, posts: [] as Post[] };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith("/calls/softphone-events")) {
        if (api.down) {
          throw new TypeError("Failed to fetch");
        }
        api.posts.push({ url, events: (JSON.parse(init?.body as string) as { events: CallEvent[] }).events });
        return new Response(JSON.stringify({ accepted: 1, duplicates: 0 }), { status: 200 });
      }
      return new Response(
        JSON.stringify({ phone: "+79161234567", contact: null, hidden: false, ownerName: null }),
      );
    }),
  );
  return api;
}

/** What the softphone store does for an INVITE (softphoneStore.ts, handleIncoming). */
function customerRings(lineId: string, number: string) {
  const legs = startLegReports("101");
  const line = makeLine({
    id: lineId,
    direction: "in",
    number,
    displayName: undefined,
    pbxCallId: undefined,
    now: 0,
  });
  const sipCallId = legs.ringing(line) ?? null;
  useCalls.getState().sipIncoming({ lineId, number, sipCallId });
  return { legs, line, sipCallId };
}

beforeEach(() => {
  vi.useFakeTimers();
  useCalls.setState({ cards: [] });
});
afterEach(() => {
  stopLegReports();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("the softphone's own call reports", () => {
  it("reports the call under one id, batched, and hands that id to the consulted colleague", async () => {
    const api = stubCrmApi();
    const { legs, sipCallId } = customerRings("line-1", "89161234567");
    legs.answered("line-1");
    useCalls.getState().sipAnswered("line-1");
    await vi.advanceTimersByTimeAsync(GRACE_MS + 500);
    expect(api.posts).toHaveLength(1);
    expect(api.posts[0]!.url).toBe("/api/v1/calls/softphone-events");
    expect(api.posts[0]!.events.map((e) => [e.type, e.callId])).toEqual([
      ["call.ringing", sipCallId],
      ["call.answered", sipCallId],
    ]);

    // The consult INVITE carries the id, and the colleague's softphone reads it back from there.
    const headers = consultHeaders("line-1");
    expect(headers).toEqual([`X-Okno-Call-Id: ${sipCallId}`]);
    const [name, value] = headers[0]!.split(": ");
    const party = extractRemoteParty((h) =>
      h === name ? value : h === "From" ? "<sip:101@okno>" : undefined,
    );
    expect(party.pbxCallId).toBe(sipCallId);
  });

  it("keeps the leg reports while crm-api is down and sends them once it is back", async () => {
    const api = stubCrmApi();
    api.down = true;
    const { legs, line } = customerRings("line-1", "+79161234567");
    legs.answered("line-1");
    await vi.advanceTimersByTimeAsync(GRACE_MS + 500);
    legs.ended(line);
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.posts).toEqual([]);
    api.down = false;
    await vi.advanceTimersByTimeAsync(30_000);
    const types = api.posts.flatMap((p) => p.events.map((e) => `${e.type}${e.legId ? "" : " (call)"}`));
    expect(types).toEqual(["call.ringing", "call.answered", "call.ended", "call.ended (call)"]);
  });

  it("says nothing of a call the CTI bridge pushed meanwhile, and the consult names the bridge's id", async () => {
    const api = stubCrmApi();
    customerRings("line-1", "+79123456789");
    useCalls.getState().receive(buildPush());
    await vi.advanceTimersByTimeAsync(GRACE_MS + 500);
    await flushLegReports();
    expect(api.posts).toEqual([]);
    expect(consultHeaders("line-1")).toEqual(["X-Okno-Call-Id: ast1:1700000000.12"]);
  });
});
