import type { Interaction } from "@okno/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callOf, feed, startCtiApp } from "../cti/testKit.ts";
import { buildContact } from "../test/factories.ts";
import type { TestApp, TestLogin } from "../test/testApp.ts";
import { fieldsOf, socketsFor } from "./testKit.ts";

describe("POST /calls/handover (warm transfer)", () => {
  let t: TestApp;
  let sockets: Awaited<ReturnType<typeof socketsFor>>;
  const handover = (login: TestLogin, payload: object) =>
    t.app.inject({ method: "POST", url: "/api/v1/calls/handover", headers: t.as(login), payload });

  beforeAll(async () => {
    t = await startCtiApp();
    sockets = await socketsFor(t);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await t.close();
  });

  it("gives the colleague the card in their scope and the note, and files the note on the timeline", async () => {
    const contact = await buildContact(t, "agent1", { lastName: "Орлова", firstName: "Мария" });
    const call = callOf();
    await feed(t, call.ringing(0, contact.phones[0]!.phone, { agentExt: "101" }), call.answered(3, "101"));
    const [agent2, manager1, admin] = await Promise.all([
      sockets.inbox("agent2"),
      sockets.inbox("manager1"),
      sockets.inbox("admin"),
    ]);

    const note = "Клиент хочет скидку на кухню, уже согласовали замер";
    const toAgent2 = await handover("agent1", { toExtension: "102", callId: call.callId, note });
    expect(toAgent2.statusCode).toBe(200);
    const { handover: pushed } = await agent2.next("call.handover");
    expect(pushed).toMatchObject({
      callId: call.callId,
      from: { userId: t.org.users.agent1.id, fullName: "Тест agent1", extension: "101" },
      note,
      // agent2 sees only their own contacts: the card names whom to ask, nothing more.
      card: { contact: { hidden: true, ownerName: "Тест agent1" } },
    });
    expect(pushed.interactionId).toEqual(expect.any(String));
    expect(await manager1.quiet("call.handover")).toBe(true);

    const toAdmin = await handover("agent1", {
      toUserId: t.org.users.admin.id,
      callId: call.callId,
      note: "Для руководства",
    });
    expect(toAdmin.statusCode).toBe(200);
    expect((await admin.next("call.handover")).handover.card.contact).toMatchObject({
      hidden: false,
      id: contact.id,
      fullName: "Орлова Мария",
    });

    const timeline = await t.app.inject({
      method: "GET",
      url: `/api/v1/contacts/${contact.id}/timeline?channel=note`,
      headers: t.as("agent1"),
    });
    const notes = timeline.json<{ items: Interaction[] }>().items;
    expect(notes.map((n) => n.body)).toEqual(["Для руководства", note]);
    expect(notes[1]).toMatchObject({
      id: toAgent2.json().noteInteractionId,
      subject: "Передача звонка: Тест agent2",
    });
    expect(notes[1]!.payload).toMatchObject({
      kind: "handover",
      callId: call.callId,
      toUserId: t.org.users.agent2.id,
    });
  });

  it("lets only an agent on the call hand it over", async () => {
    const contact = await buildContact(t, "agent1");
    const call = callOf();
    await feed(t, call.ringing(0, contact.phones[0]!.phone, { agentExt: "101" }), call.answered(3, "101"));
    const agent1 = await sockets.inbox("agent1");
    const res = await handover("agent2", { toExtension: "101", callId: call.callId, note: "Перехватываю" });
    expect(res.statusCode).toBe(403);
    expect(await agent1.quiet("call.handover")).toBe(true);
    expect(
      (await handover("agent1", { toExtension: "102", callId: "ast1:nope", note: "x" })).statusCode,
    ).toBe(404);
    // Without a call: a contact the agent may see.
    const other = await buildContact(t, "manager1");
    expect(
      (await handover("agent1", { toExtension: "102", contactId: other.id, note: "x" })).statusCode,
    ).toBe(403);
    expect(
      (await handover("agent1", { toExtension: "102", contactId: contact.id, note: "По договору" }))
        .statusCode,
    ).toBe(200);
  });

  it("names the bad field", async () => {
    const cases: [object, string][] = [
      [
        { toExtension: "102", toUserId: t.org.users.agent2.id, contactId: crypto.randomUUID(), note: "x" },
        "body.toUserId",
      ],
      [{ toExtension: "102", note: "x" }, "body.callId"],
      [{ toExtension: "102", contactId: crypto.randomUUID(), note: "" }, "body.note"],
      [{ toExtension: "999", contactId: crypto.randomUUID(), note: "x" }, "body.toExtension"],
      [{ toExtension: "101", contactId: crypto.randomUUID(), note: "x" }, "body.toUserId"],
    ];
    for (const [payload, field] of cases) {
      const res = await handover("agent1", payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    }
  });
});
