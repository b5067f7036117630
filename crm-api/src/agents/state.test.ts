import type { AgentBoardItem, AgentState, AgentStateResult } from "@okno/contracts";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callOf, feed, startCtiApp, unknownNumber } from "../cti/testKit.ts";
import { jobHandlers } from "../jobs/registry.ts";
import { runDueJobs } from "../jobs/worker.ts";
import type { TestApp, TestLogin } from "../test/testApp.ts";
import { ACW_END_JOB } from "./acw.ts";
import { fieldsOf, socketsFor } from "./testKit.ts";

describe("agent states", () => {
  let t: TestApp;
  let sockets: Awaited<ReturnType<typeof socketsFor>>;
  const putState = (login: TestLogin, payload: object) =>
    t.app.inject({ method: "PUT", url: "/api/v1/agents/me/state", headers: t.as(login), payload });
  const getState = async (login: TestLogin) =>
    (
      await t.app.inject({ method: "GET", url: "/api/v1/agents/me/state", headers: t.as(login) })
    ).json<AgentState>();
  const board = (login: TestLogin) =>
    t.app.inject({ method: "GET", url: "/api/v1/agents/board", headers: t.as(login) });
  const runJobs = () => runDueJobs({ db: t.db.knex, log: pino({ level: "silent" }), handlers: jobHandlers });
  const setAcwSeconds = async (acwSeconds: number) => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/cti/settings",
      headers: t.as("admin"),
      payload: { acwSeconds },
    });
    expect(res.statusCode).toBe(200);
  };

  beforeAll(async () => {
    t = await startCtiApp();
    sockets = await socketsFor(t);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await t.close();
  });

  it("starts offline, moves on request, logs each change, and tells the agent and who watches them", async () => {
    expect(await getState("agent2")).toMatchObject({
      userId: t.org.users.agent2.id,
      state: "offline",
      reason: null,
    });
    const [agent2, admin, supervisor, agent1] = await Promise.all([
      sockets.inbox("agent2"),
      sockets.inbox("admin"),
      sockets.inbox("supervisor"),
      sockets.inbox("agent1"),
    ]);
    const res = await putState("agent2", { state: "paused", reason: "lunch", note: "до 14:00" });
    expect(res.statusCode).toBe(200);
    const body = res.json<AgentStateResult>();
    expect(body).toMatchObject({ state: "paused", reason: "lunch", note: "до 14:00" });
    for (const inbox of [agent2, admin]) {
      const { agent } = await inbox.next("agent.state");
      expect(agent).toMatchObject({
        userId: t.org.users.agent2.id,
        state: "paused",
        reason: "lunch",
        extension: "102",
      });
    }
    // The supervisor of «Продажи» does not watch «Колл-центр»; a fellow agent is not told either.
    expect(await supervisor.quiet("agent.state")).toBe(true);
    expect(await agent1.quiet("agent.state")).toBe(true);

    expect((await putState("agent2", { state: "available" })).json()).toMatchObject({
      state: "available",
      reason: null,
    });
    const log = await t.db
      .knex("agent_state_log")
      .where("user_id", t.org.users.agent2.id)
      .orderBy("id")
      .select("state", "reason", "cause");
    expect(log).toEqual([
      { state: "paused", reason: "lunch", cause: "user" },
      { state: "available", reason: null, cause: "user" },
    ]);
  });

  it("a supervisor hears about the agents of their own department", async () => {
    const supervisor = await sockets.inbox("supervisor");
    expect((await putState("manager1", { state: "available" })).statusCode).toBe(200);
    expect((await supervisor.next("agent.state")).agent).toMatchObject({
      userId: t.org.users.manager1.id,
      state: "available",
    });
  });

  it("refuses a pause without a reason, a reason without a pause, and acw by hand", async () => {
    const cases: [object, string][] = [
      [{ state: "paused" }, "body.reason"],
      [{ state: "available", reason: "lunch" }, "body.reason"],
      [{ state: "acw" }, "body.state"],
      [{ state: "paused", reason: "nap" }, "body.reason"],
    ];
    for (const [payload, field] of cases) {
      const res = await putState("agent1", payload);
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    }
  });

  it("puts the agent who took a call into after-call work, and a durable job ends it", async () => {
    await setAcwSeconds(30);
    await putState("agent1", { state: "available" });
    const agent1 = await sockets.inbox("agent1");
    const call = callOf();
    await feed(t, call.ringing(0, unknownNumber(), { agentExt: "101" }), call.answered(3, "101"));
    expect(await agent1.quiet("agent.state")).toBe(true);
    await feed(t, call.ended(40, "completed"));
    const acw = (await agent1.next("agent.state")).agent;
    expect(acw).toMatchObject({ state: "acw" });
    const job = await t.db
      .knex("jobs")
      .where("kind", ACW_END_JOB)
      .whereNull("done_at")
      .first<{ run_at: Date }>("run_at");
    expect(job.run_at.getTime() - Date.parse(acw.since)).toBe(30_000);

    // Not due yet: nothing happens; once due, the agent is available again.
    await runJobs();
    expect((await getState("agent1")).state).toBe("acw");
    await t.db
      .knex("jobs")
      .where("kind", ACW_END_JOB)
      .update({ run_at: t.db.knex.raw("now()") });
    await runJobs();
    expect(await getState("agent1")).toMatchObject({ state: "available" });
    expect((await agent1.next("agent.state")).agent).toMatchObject({ state: "available" });
    const causes = await t.db
      .knex("agent_state_log")
      .where("user_id", t.org.users.agent1.id)
      .orderBy("id")
      .pluck("cause");
    expect(causes.slice(-2)).toEqual(["call", "timeout"]);
  });

  it("restarts acw for the next call: the first call's timeout does not end the second's", async () => {
    await setAcwSeconds(30);
    await putState("agent1", { state: "available" });
    const first = callOf();
    await feed(
      t,
      first.ringing(0, unknownNumber(), { agentExt: "101" }),
      first.answered(2, "101"),
      first.ended(10, "completed"),
    );
    const firstSince = (await getState("agent1")).since;
    await new Promise((r) => setTimeout(r, 20));
    const second = callOf();
    await feed(
      t,
      second.ringing(0, unknownNumber(), { agentExt: "101" }),
      second.answered(2, "101"),
      second.ended(10, "completed"),
    );
    expect((await getState("agent1")).since).not.toBe(firstSince);
    await t.db
      .knex("jobs")
      .where("kind", ACW_END_JOB)
      .whereNull("done_at")
      .whereRaw("payload->>'since' = ?", [firstSince])
      .update({ run_at: t.db.knex.raw("now()") });
    await runJobs();
    expect((await getState("agent1")).state).toBe("acw");
    await t.db
      .knex("jobs")
      .where("kind", ACW_END_JOB)
      .update({ run_at: t.db.knex.raw("now()") });
    await runJobs();
    expect((await getState("agent1")).state).toBe("available");
  });

  it("leaves a paused agent paused when their call ends, and a stale timeout changes nothing", async () => {
    await putState("agent1", { state: "paused", reason: "training" });
    const call = callOf();
    await feed(
      t,
      call.ringing(0, unknownNumber(), { agentExt: "101" }),
      call.answered(2, "101"),
      call.ended(20, "completed"),
    );
    expect(await getState("agent1")).toMatchObject({ state: "paused", reason: "training" });
    // An acw that the agent left by pausing: its timeout must not unpause them.
    await putState("agent1", { state: "available" });
    const second = callOf();
    await feed(
      t,
      second.ringing(0, unknownNumber(), { agentExt: "101" }),
      second.answered(2, "101"),
      second.ended(9, "completed"),
    );
    await putState("agent1", { state: "paused", reason: "break" });
    await t.db
      .knex("jobs")
      .where("kind", ACW_END_JOB)
      .whereNull("done_at")
      .update({ run_at: t.db.knex.raw("now()") });
    await runJobs();
    expect(await getState("agent1")).toMatchObject({ state: "paused", reason: "break" });
    await putState("agent1", { state: "available" });
  });

  it("shows supervisors the board of their agents with live calls and today's counts", async () => {
    expect((await board("agent1")).statusCode).toBe(403);
    expect((await board("manager1")).statusCode).toBe(403);
    await setAcwSeconds(0);
    const missed = callOf();
    await feed(t, missed.ringing(0, unknownNumber(), { agentExt: "102" }), missed.ended(15, "missed"));
    const live = callOf();
    const number = unknownNumber();
    await feed(t, live.ringing(0, number, { agentExt: "102" }), live.answered(2, "102"));

    const admin = await board("admin");
    expect(admin.statusCode).toBe(200);
    const items = admin.json<{ items: AgentBoardItem[] }>().items;
    expect(items.map((i) => i.extension).sort()).toEqual(["101", "102", "201", "202"]);
    const agent2 = items.find((i) => i.extension === "102")!;
    expect(agent2.calls).toEqual([
      expect.objectContaining({ callId: live.callId, state: "answered", direction: "in", party: number }),
    ]);
    expect(agent2).toMatchObject({ missedToday: 1, answeredToday: 1 });
    const agent1 = items.find((i) => i.extension === "101")!;
    // agent1 took five calls in the tests above, and missed none.
    expect(agent1).toMatchObject({ state: "available", calls: [], answeredToday: 5, missedToday: 0 });

    const supervisor = (await board("supervisor")).json<{ items: AgentBoardItem[] }>().items;
    expect(supervisor.map((i) => i.extension).sort()).toEqual(["201", "202"]);
    await feed(t, live.ended(30, "completed"));
  });
});
