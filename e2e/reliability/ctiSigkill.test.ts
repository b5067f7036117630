import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Knex } from "knex";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startAmiLoadServer,
  type AmiLoadServer,
} from "../../cti-bridge/src/asterisk/testing/amiLoadServer.ts";
import { synthCall, type SynthCall } from "../../cti-bridge/src/asterisk/testing/synthCalls.ts";
import { loadConfig, startBridge, type Bridge } from "../../cti-bridge/src/index.ts";
import { startCrmApi, type RunningCrmApi } from "../src/crmApi.ts";

// ARCHITECTURE §3 and issue #4 ("Reliability"): the bridge keeps what crm-api has not acknowledged in its
// disk spool, and crm-api applies each event once. Here crm-api is SIGKILLed three times while thousands
// of calls built from the real captures stream in over AMI; afterwards every call is there exactly once,
// complete, with one contact per new number and one callback task per abandoned call, and the spool is
// empty. Malformed AMI frames ride along and are counted, never fatal.
//
// On PostgreSQL only: on the embedded PGlite the database lives inside the crm-api process, so a SIGKILL
// takes the database down with it and the test would measure PGlite's crash recovery, not the bridge.
const PG_URL = process.env.DATABASE_URL;
const CALLS = 2400;
const KILLS = 3;

/** Frames a PBX should never send: a line without a colon, an event without its ids, a header flood. */
const MALFORMED: Buffer[] = [
  Buffer.from("this is not a header\r\n\r\n"),
  Buffer.from("Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/trunk-broken\r\n\r\n"),
  Buffer.from(`Event: VarSet\r\nValue: ${"x".repeat(70_000)}\r\n\r\n`),
  Buffer.from("Event: Hangup\r\nUniqueid: not-a-uniqueid\r\nLinkedid: 17\r\nCause: banana\r\n\r\n"),
];

let crmApi: RunningCrmApi;
let ami: AmiLoadServer;
let bridge: Bridge;
let spoolDir: string;
let spool: string;

describe.skipIf(!PG_URL)("CTI delivery through crm-api crashes (PostgreSQL)", () => {
  beforeAll(async () => {
    crmApi = await startCrmApi({ databaseUrl: PG_URL, env: { LOG_LEVEL: "error" } });
    ami = await startAmiLoadServer();
    spoolDir = await mkdtemp(join(tmpdir(), "okno-bridge-"));
    const config = loadConfig({ AMI_URL: ami.url, DATA_DIR: spoolDir, CTI_TOKEN: crmApi.ctiToken });
    spool = config.spoolDir;
    bridge = await startBridge(config, pino({ level: "silent" }), {
      url: crmApi.url,
      token: crmApi.ctiToken,
    });
    bridge.publisher.start();
    await ami.ready();
  });

  afterAll(async () => {
    await bridge?.close();
    await ami?.close();
    await crmApi?.stop();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it(
    "loses and doubles nothing when crm-api is killed three times mid-replay",
    { timeout: 400_000 },
    async () => {
      const knex = crmApi.db!.knex;
      const calls = await buildCalls(knex);
      const noise: SynthCall = { ...calls[0]!, callId: "noise", frames: MALFORMED, popFrame: -1 };

      // 120 calls a second (about 20,000 AMI events a second), each call's frames over two seconds.
      const replay = ami.play([...calls.slice(0, 1200), noise, ...calls.slice(1200)], {
        callsPerSecond: 120,
        callSpreadMs: 2000,
        isRealTime: true,
      });
      for (let kill = 0; kill < KILLS; kill += 1) {
        await sleep(3000 + kill * 1500);
        await crmApi.crash();
        await sleep(500); // the bridge meets a dead port for a while and spools
        await crmApi.restart();
      }
      await replay;
      expect(await bridge.publisher.drain(180_000)).toBe(true);

      const stats = bridge.stats();
      expect(stats.publisher).toMatchObject({ pending: 0, rejected: 0, invalid: 0 });
      // The kills cut POSTs whose answers never came: those batches were sent again and crm-api said so.
      expect(stats.publisher.retries).toBeGreaterThan(0);
      expect(stats.asterisk).toMatchObject({ state: "ready", rejectedCallEvents: 0 });
      expect(
        stats.asterisk!.malformedFrames + stats.asterisk!.garbageLines + stats.asterisk!.invalidEvents,
      ).toBeGreaterThanOrEqual(3);
      expect(stats.asterisk!.oversizedLines).toBeGreaterThanOrEqual(1);

      // Every call once, ended as the real PBX ended it.
      const rows = await knex("interactions")
        .whereIn(
          "call_id",
          calls.map((c) => c.callId),
        )
        .select<
          {
            call_id: string;
            result: string | null;
            payload: { call: { legs: object }; callbackTaskId: string | null };
          }[]
        >("call_id", "result", "payload");
      expect(rows).toHaveLength(calls.length);
      const byId = new Map(rows.map((r) => [r.call_id, r]));
      const wrong = calls.filter((c) => byId.get(c.callId)?.result !== c.endedAs);
      expect(
        wrong.map((c) => `${c.callId} ${c.capture}: ${byId.get(c.callId)?.result} ≠ ${c.endedAs}`),
      ).toEqual([]);

      // Each scenario's copies have the same legs as its first copy (replays double no leg).
      const legsOf = (c: SynthCall) => Object.keys(byId.get(c.callId)!.payload.call.legs).length;
      for (const scenario of new Set(calls.map((c) => c.capture))) {
        const copies = calls.filter((c) => c.capture === scenario);
        expect(new Set(copies.map(legsOf)), scenario).toEqual(new Set([legsOf(copies[0]!)]));
      }

      // Each event applied once: crm-api's idempotency table holds exactly what the bridge published.
      const applied = await countOf(
        knex("cti_events").whereIn(
          "call_id",
          calls.map((c) => c.callId),
        ),
      );
      expect(applied).toBe(stats.publisher.published);

      // One contact per new number, however often it called and whichever crm-api life saw it first.
      const fresh = [...new Set(calls.filter((c) => c.isNew).map((c) => c.number))];
      const owners = await knex("contact_phones")
        .whereIn("phone", fresh)
        .select("phone")
        .count({ n: "*" })
        .groupBy("phone");
      expect(owners).toHaveLength(fresh.length);
      expect(owners.filter((o) => Number(o.n) !== 1)).toEqual([]);

      // A callback task for every abandoned inbound call, one per number: a client who gave up twice is
      // called back once (crm-api reuses the open task), and a replayed batch makes no second one.
      const abandoned = calls.filter((c) => c.endedAs === "abandoned");
      const taskIds = new Set(abandoned.map((c) => byId.get(c.callId)!.payload.callbackTaskId));
      expect(taskIds.has(null) || taskIds.has(undefined as never)).toBe(false);
      expect(taskIds.size).toBe(new Set(abandoned.map((c) => c.number)).size);
      expect(await countOf(knex("tasks").whereIn("id", [...taskIds] as string[]))).toBe(taskIds.size);

      await bridge.close();
      expect(await readdir(spool)).toEqual([]);
    },
  );
});

async function countOf(query: Knex.QueryBuilder): Promise<number> {
  const [row] = await query.count<{ n: number | string }[]>({ n: "*" });
  return Number(row?.n);
}

type ReplayedCall = SynthCall & { isNew: boolean };

/**
 * The demo clients' numbers for most calls; the rest from numbers nobody has, each calling twice (the
 * second call must find the contact the first one created, even across a crash).
 */
async function buildCalls(knex: Knex): Promise<ReplayedCall[]> {
  const known = (await knex("contact_phones").select<{ phone: string }[]>("phone").orderBy("phone")).map(
    (r) => r.phone,
  );
  return Array.from({ length: CALLS }, (_, i) => {
    const isNew = i % 4 === 0;
    const number = isNew
      ? `+7999${String(1_000_000 + Math.floor(i / 8)).padStart(7, "0")}`
      : known[i % known.length]!;
    return { ...synthCall(i, number), isNew };
  });
}
