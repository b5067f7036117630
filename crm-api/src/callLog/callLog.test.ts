import type { CallLogItem, MissedCall, Task } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callOf, callRow, feed, seedTracking, startCtiApp, unknownNumber } from "../cti/testKit.ts";
import { fieldsOf } from "../agents/testKit.ts";
import type { TestApp, TestLogin } from "../test/testApp.ts";

describe("calls journal and missed calls", () => {
  let t: TestApp;
  let sourceId: string;
  const list = async <T>(login: TestLogin, url: string) => {
    const res = await t.app.inject({ method: "GET", url, headers: t.as(login) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: T[]; nextCursor: string | null }>();
  };
  const ids = (items: { callId: string | null }[]) => items.map((i) => i.callId);

  // Minutes ago, so that the calls follow each other in a known order.
  const ago = (min: number) => Date.now() - min * 60_000;
  const answeredIn = callOf(undefined, ago(50));
  const missedA = callOf(undefined, ago(40));
  const missedB = callOf(undefined, ago(30));
  const outToA = callOf(undefined, ago(20));
  const numberA = unknownNumber();
  const numberB = unknownNumber();

  beforeAll(async () => {
    t = await startCtiApp();
    ({ sourceId } = await seedTracking(t));
    await feed(
      t,
      answeredIn.ringing(0, unknownNumber(), { agentExt: "101", line: "+74957654321" }),
      answeredIn.answered(5, "101"),
      answeredIn.ended(65, "completed"),
      missedA.ringing(0, numberA, { agentExt: "101" }),
      missedA.ended(20, "missed"),
      missedB.ringing(0, numberB, { agentExt: "102" }),
      missedB.ended(30, "abandoned"),
      outToA.event("call.ringing", 0, { direction: "out", from: "102", to: numberA, agentExt: "102" }),
      outToA.ended(15, "busy"),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists calls newest first with keyset pages, in the user's scope", async () => {
    const all = await list<CallLogItem>("admin", "/api/v1/calls");
    expect(ids(all.items)).toEqual([outToA.callId, missedB.callId, missedA.callId, answeredIn.callId]);
    expect(all.items[3]).toMatchObject({
      direction: "in",
      result: "completed",
      durationSec: 60,
      waitSec: 5,
      agent: { id: t.org.users.agent1.id, extension: "101" },
      sourceId,
      sourceName: "Яндекс.Директ",
      campaignName: "Контекст — кухни",
      contact: { fullName: "Новый клиент" },
    });
    expect(all.items[0]).toMatchObject({ direction: "out", number: numberA, result: "busy" });

    const first = await list<CallLogItem>("admin", "/api/v1/calls?limit=3");
    const rest = await list<CallLogItem>("admin", `/api/v1/calls?limit=3&cursor=${first.nextCursor}`);
    expect([...ids(first.items), ...ids(rest.items)]).toEqual(ids(all.items));
    expect(rest.nextCursor).toBeNull();

    // agent2 sees their own calls only: the one they dialled and the missed one that rang them.
    expect(ids((await list<CallLogItem>("agent2", "/api/v1/calls")).items)).toEqual([
      outToA.callId,
      missedB.callId,
    ]);
  });

  it("filters by agent, direction, result, source and time", async () => {
    const q = async (query: string) =>
      ids((await list<CallLogItem>("admin", `/api/v1/calls?${query}`)).items);
    expect(await q(`agentId=${t.org.users.agent1.id}`)).toEqual([missedA.callId, answeredIn.callId]);
    expect(await q("direction=out")).toEqual([outToA.callId]);
    expect(await q("result=abandoned")).toEqual([missedB.callId]);
    expect(await q(`sourceId=${sourceId}`)).toEqual([answeredIn.callId]);
    const from = new Date(ago(35)).toISOString();
    const to = new Date(ago(25)).toISOString();
    expect(await q(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).toEqual([
      missedB.callId,
    ]);
    const bad = await t.app.inject({
      method: "GET",
      url: "/api/v1/calls?result=lost",
      headers: t.as("admin"),
    });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual(["querystring.result"]);
  });

  it("shows missed calls with who called back and when: by a later call, or by the callback task", async () => {
    let missed = (await list<MissedCall>("admin", "/api/v1/calls/missed")).items;
    expect(ids(missed)).toEqual([missedB.callId, missedA.callId]);
    const a = missed[1]!;
    expect(a.calledBack).toEqual({
      via: "call",
      at: (await callRow(t, outToA.callId)).occurred_at.toISOString(),
      by: { id: t.org.users.agent2.id, fullName: "Тест agent2" },
      answered: false,
    });
    expect(missed[0]!.calledBack).toBeNull();
    expect(ids((await list<MissedCall>("admin", "/api/v1/calls/missed?status=pending")).items)).toEqual([
      missedB.callId,
    ]);

    // agent2 completes the callback task of the abandoned call.
    const taskId = missed[0]!.callbackTaskId!;
    const done = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tasks/${taskId}`,
      headers: t.as("agent2"),
      payload: { status: "done" },
    });
    expect(done.statusCode).toBe(200);
    missed = (await list<MissedCall>("admin", "/api/v1/calls/missed")).items;
    expect(missed[0]!.calledBack).toEqual({
      via: "task",
      at: done.json<Task>().completedAt,
      by: { id: t.org.users.agent2.id, fullName: "Тест agent2" },
      answered: null,
    });
    expect((await list<MissedCall>("admin", "/api/v1/calls/missed?status=pending")).items).toEqual([]);
    expect(ids((await list<MissedCall>("admin", "/api/v1/calls/missed?status=done")).items)).toHaveLength(2);
    // An agent sees only the missed calls in their scope.
    expect(ids((await list<MissedCall>("agent1", "/api/v1/calls/missed")).items)).toEqual([missedA.callId]);
  });
});
