import { afterEach, describe, expect, it } from "vitest";
import { AmiActionError } from "./amiActions.ts";
import { backoffDelay, startAmiClient, type AmiClient, type AmiClientOptions } from "./amiClient.ts";
import { headerOf, type AmiFrame } from "./amiFrame.ts";
import { parseAmiUrl } from "./index.ts";
import { loadCapture } from "./testing/captures.ts";
import { startFakeAmiServer, type ConnectionScript, type FakeAmiServer } from "./testing/fakeAmiServer.ts";
import { silentLog, waitUntil } from "./testing/replay.ts";

let server: FakeAmiServer | undefined;
let client: AmiClient | undefined;

afterEach(async () => {
  await client?.stop();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function connect(scripts: ConnectionScript[], options: Partial<AmiClientOptions> = {}) {
  server = await startFakeAmiServer({ scripts });
  const events: AmiFrame[] = [];
  const { host, port, username, secret } = parseAmiUrl(server.url());
  client = startAmiClient({
    host,
    port,
    username,
    secret,
    log: silentLog,
    onEvent: (frame) => events.push(frame),
    backoff: { initialMs: 10, maxMs: 40 },
    ...options,
  });
  return { events, client, server };
}

const ready = (c: AmiClient) => waitUntil(() => c.stats().state === "ready", "login");

describe("the AMI client", () => {
  it("logs in with Events: on and passes every event on, banner aside", async () => {
    const capture = loadCapture("outbound-from-agent");
    const { events, client: c, server: s } = await connect([{ replay: [{ capture }] }]);
    await waitUntil(() => events.length === capture.frames.length, "the capture");
    expect(s.actions[0]).toMatchObject({ Action: "Login", Username: "crm", Secret: "secret", Events: "on" });
    expect(events.map((frame) => frame.Event).slice(0, 3)).toEqual([
      "FullyBooted",
      "SuccessfulAuth",
      "Newchannel",
    ]);
    expect(c.stats()).toMatchObject({ state: "ready", connects: 1, loginFailures: 0, garbageLines: 0 });
  });

  it("keeps retrying a refused login with backoff, never reaching ready", async () => {
    const s = await startFakeAmiServer({ secret: "other", scripts: [] });
    server = s;
    const { host, port, username, secret } = parseAmiUrl(s.url("crm", "wrong"));
    client = startAmiClient({
      host,
      port,
      username,
      secret,
      log: silentLog,
      onEvent: () => {},
      backoff: { initialMs: 5, maxMs: 20 },
    });
    const c = client;
    await waitUntil(() => c.stats().loginFailures >= 3, "three refusals");
    expect(c.stats().state).not.toBe("ready");
    expect(s.connections()).toBeGreaterThanOrEqual(3);
  });

  it("matches answers to actions by ActionID, whatever their order", async () => {
    const held: (() => void)[] = [];
    const { client: c } = await connect([
      {
        onAction: (action, reply) => {
          if (headerOf(action, "Action") !== "Echo") {
            return false;
          }
          const id = headerOf(action, "ActionID");
          held.push(() =>
            reply({ Response: "Success", ActionID: id ?? "", Said: headerOf(action, "Say") ?? "" }),
          );
          if (held.length === 2) {
            held.reverse().forEach((send) => send());
          }
          return true;
        },
      },
    ]);
    await ready(c);
    const [first, second] = await Promise.all([
      c.sendAction({ Action: "Echo", Say: "one" }),
      c.sendAction({ Action: "Echo", Say: "two" }),
    ]);
    expect([first.response.Said, second.response.Said]).toEqual(["one", "two"]);
  });

  it("collects a list action's events up to EventList: Complete", async () => {
    const channel = {
      Event: "CoreShowChannel",
      Channel: "PJSIP/101-00000001",
      Uniqueid: "1.1",
      Linkedid: "1.1",
    };
    const snapshot = { channels: [channel, { ...channel, Uniqueid: "1.2" }], queueEntries: [], vars: {} };
    const { client: c, events } = await connect([{ snapshot }]);
    await ready(c);
    const result = await c.sendAction({ Action: "CoreShowChannels" });
    expect(result.response).toMatchObject({ Response: "Success", EventList: "start" });
    expect(result.events.map((frame) => frame.Uniqueid)).toEqual(["1.1", "1.2"]);
    expect(events.filter((frame) => frame.Event === "CoreShowChannel")).toEqual([]);
  });

  it("rejects an action the PBX refuses, and one nobody answers in time", async () => {
    const { client: c } = await connect([{ onAction: (action) => headerOf(action, "Action") === "Silent" }], {
      actionTimeoutMs: 50,
    });
    await ready(c);
    await expect(c.sendAction({ Action: "NoSuchThing" })).rejects.toBeInstanceOf(AmiActionError);
    await expect(c.sendAction({ Action: "Silent" })).rejects.toThrow(/timed out/);
    expect(c.stats().actionTimeouts).toBe(1);
  });

  it("refuses to send a value with a line break", async () => {
    const { client: c, server: s } = await connect([{}]);
    await ready(c);
    await expect(c.sendAction({ Action: "Getvar", Variable: "A\r\nAction: Hangup" })).rejects.toThrow(
      /line break/,
    );
    expect(s.actions.map((action) => action.Action)).toEqual(["Login"]);
  });

  it("reconnects when a Ping goes unanswered", async () => {
    const silentPing = (action: AmiFrame) => headerOf(action, "Action") === "Ping";
    const { client: c, server: s } = await connect([{ onAction: silentPing }, {}], {
      pingIntervalMs: 30,
      actionTimeoutMs: 30,
    });
    await waitUntil(() => s.connections() === 2 && c.stats().state === "ready", "a second connection");
    expect(c.stats().pingFailures).toBeGreaterThanOrEqual(1);
  });

  it("reconnects after a drop in the middle of a frame and reads the new stream cleanly", async () => {
    const capture = loadCapture("outbound-from-agent");
    const { client: c, events } = await connect([
      { replay: [{ capture }], dropAtByte: 1000 },
      { replay: [{ capture }] },
    ]);
    await waitUntil(
      () => c.stats().connects === 2 && events.length >= capture.frames.length,
      "the second replay",
    );
    expect(c.stats()).toMatchObject({ disconnects: 1, garbageLines: 0, malformedFrames: 0 });
  });

  it("passes on an event that carries someone else's ActionID (OriginateResponse goes to every session)", async () => {
    const originate = {
      Event: "OriginateResponse",
      ActionID: "other-session-7",
      Response: "Success",
      Reason: "4",
    };
    const { client: c, events } = await connect([
      {
        onAction: (action, reply) =>
          headerOf(action, "Action") === "Poke" ? (reply(originate), true) : false,
      },
    ]);
    await ready(c);
    void c.sendAction({ Action: "Poke" }, 200).catch(() => undefined);
    await waitUntil(() => events.some((frame) => frame.Event === "OriginateResponse"), "the event");
  });
});

describe("backoffDelay", () => {
  it("doubles up to the cap, with jitter in the upper half", () => {
    const backoff = { initialMs: 1000, maxMs: 30_000 };
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, backoff, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(backoffDelay(3, backoff, () => 0)).toBe(4000);
    expect(backoffDelay(50, backoff, () => 1)).toBe(30_000);
  });
});

describe("parseAmiUrl", () => {
  it("reads user, secret (percent-decoded), host and port", () => {
    expect(parseAmiUrl("ami://crm:p%40ss@pbx.local:5039")).toEqual({
      host: "pbx.local",
      port: 5039,
      username: "crm",
      secret: "p@ss",
    });
    expect(parseAmiUrl("ami://crm:x@10.0.0.5").port).toBe(5038);
    expect(() => parseAmiUrl("http://crm:x@pbx")).toThrow(/ami:\/\//);
  });
});
