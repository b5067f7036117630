import type { CallEvent } from "@okno/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { signMango } from "./sign.ts";
import {
  brief,
  loadFixture,
  replayIngest,
  shuffled,
  signedForm,
  snapshotOf,
  startWebhookApp,
  TEST_KEY,
  TEST_SALT,
  type WebhookApp,
} from "./testing/mangoTesting.ts";

/*
 * The plugin as Mango meets it: form-encoded, signed webhooks injected at /webhooks/mango/…, the way the
 * bridge host mounts it.
 */

const apps: WebhookApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((t) => t.app.close()));
});

async function start(ingest?: Parameters<typeof startWebhookApp>[0]): Promise<WebhookApp> {
  const t = await startWebhookApp(ingest);
  apps.push(t);
  return t;
}

async function deliver(t: WebhookApp, webhooks: { path: string; json: unknown }[]): Promise<void> {
  for (const { path, json } of webhooks) {
    const res = await t.post(path, json);
    expect(res.statusCode, `${path} ${JSON.stringify(json)}`).toBe(200);
  }
}

const byId = (events: CallEvent[]) => new Map(events.map((e) => [e.id, e]));

describe("Mango webhooks", () => {
  it("turns the document's inbound sequence into call events, and the command result into a callback", async () => {
    const t = await start();
    await deliver(t, loadFixture("inbound-answered"));
    expect(t.events.map((e) => e.type)).toEqual([
      "call.ringing",
      "call.ended",
      "call.ringing",
      "call.answered",
      "call.ended",
      "call.ended",
      "recording.ready",
    ]);
    expect(t.results).toEqual([{ command: "route", commandId: "c111", result: 1000 }]);
    expect(t.ingest().calls().get("232wc3e3w3s222")?.isClosed).toBe(true);
  });

  it("delivers over HTTP exactly the events the mapping gives for each of the document's sequences", async () => {
    for (const name of ["inbound-answered", "missed", "consult-transfer", "blind-transfer"]) {
      const t = await start();
      await deliver(t, loadFixture(name));
      const direct = replayIngest(loadFixture(name));
      direct.ingest.close();
      expect(t.events, name).toEqual(direct.events);
    }
  });

  it("refuses a forged signature with 403, emits nothing and logs no payload", async () => {
    const t = await start();
    const json = JSON.stringify(loadFixture("missed")[0]?.json);
    const forged = new URLSearchParams({
      vpbx_api_key: TEST_KEY,
      sign: signMango(TEST_KEY, json, "guessed-salt"),
      json,
    });
    const res = await t.app.inject({
      method: "POST",
      url: "/webhooks/mango/events/call",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: forged.toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(t.events).toEqual([]);
    expect(t.ingest().calls().size).toBe(0);
    const refusal = t.memory.entries().find((e) => e.msg === "mango webhook refused");
    expect(refusal).toMatchObject({ level: 40, reason: "bad_sign" });
    expect(t.memory.text()).not.toContain("79031112233");
  });

  it("refuses another product's key even when its signature is right for that key", async () => {
    const t = await start();
    const json = JSON.stringify(loadFixture("missed")[0]?.json);
    const res = await t.app.inject({
      method: "POST",
      url: "/webhooks/mango/events/call",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: signedForm(json, "other-product", TEST_SALT),
    });
    expect(res.statusCode).toBe(403);
    expect(t.events).toEqual([]);
  });

  it("checks the signature over the raw json field, spacing and escapes as sent", async () => {
    const t = await start();
    const pretty = JSON.stringify(loadFixture("missed")[0]?.json, null, 2).replace(
      "abonent",
      "\\u0061bonent",
    );
    expect((await t.post("events/call", pretty)).statusCode).toBe(200);
    expect(t.events.map(brief)[0]).toMatchObject({ type: "call.ringing", agentExt: "101" });
  });

  it("answers a repeated webhook 200 and changes nothing", async () => {
    const t = await start();
    const [appeared] = loadFixture("missed");
    await deliver(t, [appeared!]);
    const before = snapshotOf(t.ingest().calls());
    const res = await t.post("events/call", appeared!.json);
    expect(res.statusCode).toBe(200);
    expect(t.events).toHaveLength(1);
    expect(snapshotOf(t.ingest().calls())).toEqual(before);
    expect(t.ingest().stats().duplicates).toBe(1);
  });

  it("answers malformed json 400, logs it, and keeps serving", async () => {
    const t = await start();
    const res = await t.post("events/call", '{"entry_id": "x", "call_id":');
    expect(res.statusCode).toBe(400);
    expect(t.memory.entries().some((e) => e.msg === "mango webhook json malformed")).toBe(true);
    await deliver(t, loadFixture("missed"));
    expect(t.events).toHaveLength(3);
    expect(t.stats()).toMatchObject({ malformed: 1, forbidden: 0 });
  });

  it("answers json that is not the event 400 naming the field", async () => {
    const t = await start();
    const res = await t.post("events/call", {
      entry_id: "x",
      call_id: "y",
      seq: "first",
      call_state: "Appeared",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: Record<string, string> } }>().error.fields).toHaveProperty("json.seq");
    expect(t.events).toEqual([]);
  });

  it("answers a body without the three form fields 400", async () => {
    const t = await start();
    const res = await t.app.inject({
      method: "POST",
      url: "/webhooks/mango/events/call",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "json=%7B%7D",
    });
    expect(res.statusCode).toBe(400);
  });

  it("acknowledges a signed event of an unknown kind with 200 and logs it", async () => {
    const t = await start();
    const res = await t.post("events/record/tagged", { entry_id: "x", recording_id: "r", timestamp: 1 });
    expect(res.statusCode).toBe(200);
    expect(t.stats().unknownKinds).toBe(1);
    expect(t.events).toEqual([]);
  });
});

describe("Mango webhooks out of order", () => {
  for (const name of ["consult-transfer", "blind-transfer", "inbound-answered"]) {
    it(`gives the same events and state whatever order ${name}'s legs arrive in`, async () => {
      const webhooks = loadFixture(name);
      const calls = webhooks.filter((w) => w.path === "events/call");
      const rest = webhooks.filter((w) => w.path !== "events/call");
      const inOrder = await start();
      await deliver(inOrder, webhooks);
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const t = await start();
        // The summary comes after the call (Mango sends it last); the legs arrive in any order.
        await deliver(t, [...shuffled(calls, seed), ...rest]);
        expect(byId(t.events), `seed ${seed}`).toEqual(byId(inOrder.events));
        expect(snapshotOf(t.ingest().calls())).toEqual(snapshotOf(inOrder.ingest().calls()));
      }
    });
  }

  it("drops an older event that comes after the gap it left was given up on", async () => {
    const all = loadFixture("consult-transfer");
    const hold = all[2]!;
    const inOrder = await start();
    await deliver(inOrder, all);
    const t = await start({ reorderWindowMs: 20 });
    await deliver(t, [...all.slice(0, 2), ...all.slice(3, -1)]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await deliver(t, [hold, all.at(-1)!]);
    const missing = inOrder.events.filter((e) => !t.events.some((mine) => mine.id === e.id));
    expect(missing.map(brief)).toEqual([{ type: "call.held", legId: "200:514", agentExt: "101" }]);
    expect(byId(t.events)).toEqual(
      new Map([...byId(inOrder.events)].filter(([id]) => id !== missing[0]?.id)),
    );
    expect(snapshotOf(t.ingest().calls())).toEqual(snapshotOf(inOrder.ingest().calls()));
    expect(t.ingest().stats().stale).toBe(1);
    expect(t.memory.entries().some((e) => e.msg === "mango seq gap not filled")).toBe(true);
  });

  it("holds back an event ahead of a gap until the gap fills", async () => {
    const [appeared, connected, onHold] = loadFixture("consult-transfer");
    const t = await start();
    await deliver(t, [onHold!]);
    expect(t.events).toEqual([]);
    await deliver(t, [appeared!]);
    expect(t.events.map((e) => e.type)).toEqual(["call.ringing"]);
    await deliver(t, [connected!]);
    expect(t.events.map((e) => e.type)).toEqual(["call.ringing", "call.answered", "call.held"]);
  });
});
