import type { User } from "@okno/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import type { TestApp, TestLogin } from "../test/testApp.ts";
import { callOf, callRow, feed, openInbox, startCtiApp, unknownNumber, type CallInbox } from "./testKit.ts";

// The CTI keeps the call centre (agents, queues, settings) in memory between calls (directory.ts):
// what an administrator changes must reach the very next call.
describe("the CTI's directory of the call centre", () => {
  let t: TestApp;
  let url: string;
  const sockets: WebSocket[] = [];
  const inboxOf = async (login: TestLogin): Promise<CallInbox> => {
    const inbox = await openInbox(url, t.as(login));
    sockets.push(inbox.socket);
    return inbox;
  };
  const putQueue = async (memberIds: string[]) => {
    const res = await t.app.inject({
      method: "PUT",
      url: "/api/v1/cti/queues/sales",
      headers: t.as("admin"),
      payload: { supervisorId: null, memberIds },
    });
    expect(res.statusCode).toBe(200);
  };
  const ringQueue = async () => {
    const call = callOf();
    await feed(t, call.ringing(0, unknownNumber(), { queue: "sales" }));
    return call;
  };

  beforeAll(async () => {
    t = await startCtiApp();
    url = `${(await t.app.listen({ host: "127.0.0.1", port: 0 })).replace(/^http/, "ws")}/api/v1/ws`;
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.terminate();
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it("rings the queue's new members on the next call after an administrator changes the queue", async () => {
    const [agent1, agent2] = await Promise.all([inboxOf("agent1"), inboxOf("agent2")]);
    await putQueue([t.org.users.agent1.id]);
    const first = await ringQueue();
    expect(await agent1.next()).toMatchObject({ callId: first.callId, state: "ringing", isMine: true });
    expect(await agent2.quiet()).toBe(true);

    await putQueue([t.org.users.agent2.id]);
    const second = await ringQueue();
    expect(await agent2.next()).toMatchObject({ callId: second.callId, state: "ringing", isMine: true });
    expect(await agent1.quiet()).toBe(true);
  });

  it("knows an agent created a moment ago by their extension", async () => {
    // A call first, so the directory is loaded before the new agent exists.
    const before = callOf();
    await feed(t, before.ringing(0, unknownNumber(), { agentExt: "101" }));
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.as("admin"),
      payload: {
        login: "agent150",
        password: "a-long-enough-password",
        fullName: "Новикова Ольга",
        departmentId: t.org.departments.callcenter,
        role: "agent",
        extension: "150",
      },
    });
    expect(res.statusCode).toBe(201);
    const agent = res.json<User>();

    const call = callOf();
    await feed(t, call.ringing(0, unknownNumber(), { agentExt: "150" }));
    // The new caller's contact and the call go to the agent whose phone rang.
    expect((await callRow(t, call.callId)).owner_id).toBe(agent.id);
  });
});
