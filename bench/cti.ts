// npm run bench:cti [-- --contacts 1000000 --rate 50 --seconds 20 --calls 3000]
// The CTI path end to end, as deployed: an AMI server replays synthetic calls built from the real Asterisk
// captures into the bridge (its own process), which delivers to crm-api (its own process) on PostgreSQL
// with a million contacts; the agents' WebSockets receive the `call` pushes. Two phases:
//   screen pop — calls at --rate a second for --seconds: AMI frame that makes an agent's phone ring
//                written → first `call` message on an agent's socket, beside the floor (bare lookup +
//                insert + WebSocket message) measured in the same run at the same rate;
//   throughput — --calls calls written as fast as the bridge reads them: AMI events/s taken in, and calls/s
//                until crm-api has every call ended; then nothing may be missing or ended wrongly.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { Knex } from "knex";
import { startAmiLoadServer, type AmiLoadServer } from "../cti-bridge/src/asterisk/testing/amiLoadServer.ts";
import { scenarioMix, synthCall, type SynthCall } from "../cti-bridge/src/asterisk/testing/synthCalls.ts";
import { freePort } from "../e2e/src/freePort.ts";
import { spawnService, stopService, type ServiceProcess } from "../e2e/src/service.ts";
import { openBenchDb } from "./benchDb.ts";
import { measureFloor } from "./ctiFloor.ts";
import { prepareCallCentre, removeRunData, TEAMS } from "./ctiSetup.ts";
import { connectAgents, type AgentSockets } from "./ctiSockets.ts";
import { freshPhones, sampleExistingPhones } from "./phones.ts";
import { fmtInt, note } from "./progress.ts";
import { formatJson, formatTable, formatTargets, printReport, type Measured, type Target } from "./report.ts";
import { readOptions } from "./options.ts";
import { describeRun, machineLine } from "./session.ts";
import { seededRandom, summarize } from "./stats.ts";

const { values: args } = parseArgs({
  options: {
    contacts: { type: "string" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "20" },
    calls: { type: "string", default: "3000" },
  },
});
const RATE = Number(args.rate);
const POP_CALLS = RATE * Number(args.seconds);
const BURST_CALLS = Number(args.calls);

interface System {
  api: ServiceProcess;
  bridge: ServiceProcess;
  apiUrl: string;
  dataDir: string;
}

/** BENCH_PROFILE=<dir>: CPU profiles of crm-api and the bridge, written when they stop. */
const profileFlags = process.env.BENCH_PROFILE
  ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
  : [];

/** crm-api and the bridge, each its own process, as on two hosts; the bridge logs in to `ami`. */
async function startSystem(databaseUrl: string, ami: AmiLoadServer): Promise<System> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "okno-bench-cti-"));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const token = "bench-cti-token-".padEnd(48, "x");
  const base = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    LOG_LEVEL: "warn",
    CTI_TOKEN: token,
  };
  const log = (name: string) => (chunk: Buffer) => {
    if (/"level":(50|60)/.test(chunk.toString())) {
      note(`${name}: ${chunk.toString().trim().slice(0, 400)}`);
    }
  };
  const api = await spawnService(
    "crm-api/src/main.ts",
    {
      ...base,
      DATABASE_URL: databaseUrl,
      OKNO_SEED: "none",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(dataDir, "api"),
      WRITE_RATE_LIMIT: "1000000",
    },
    "Okno is running at",
    log("crm-api"),
    profileFlags,
  );
  const bridge = await spawnService(
    "cti-bridge/src/main.ts",
    {
      ...base,
      AMI_URL: ami.url,
      CRM_API_URL: apiUrl,
      DATA_DIR: path.join(dataDir, "bridge"),
      LOG_LEVEL: "info",
    },
    "cti bridge running",
    log("bridge"),
    profileFlags,
  );
  return { api, bridge, apiUrl, dataDir };
}

/** Callers: existing clients in mixed order, and one in five a number nobody has (a new contact). */
async function buildCalls(knex: Knex, count: number, offset: number, seed: number): Promise<SynthCall[]> {
  const random = seededRandom(seed);
  const known = await sampleExistingPhones(knex, count, random);
  const fresh = await freshPhones(knex, Math.ceil(count / 5), random);
  return Array.from({ length: count }, (_, i) =>
    synthCall(
      offset + i,
      i % 5 === 0 ? fresh[i / 5]! : known[i % known.length]!,
      TEAMS[(offset + i) % TEAMS.length],
    ),
  );
}

/** Waits until crm-api has every call ended; returns when that was (performance.now()). */
async function waitAllEnded(knex: Knex, calls: SynthCall[], timeoutMs: number): Promise<number> {
  const ids = calls.map((c) => c.callId);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [row] = await knex("interactions")
      .whereIn("call_id", ids)
      .whereNotNull("ended_at")
      .count<{ n: string }[]>({ n: "*" });
    if (Number(row?.n) === ids.length) {
      return performance.now();
    }
    if (performance.now() > deadline) {
      throw new Error(`only ${row?.n} of ${ids.length} calls ended in crm-api after ${timeoutMs / 1000} s`);
    }
    await sleep(100);
  }
}

/** Calls missing in crm-api or ended otherwise than the real PBX ended them. */
async function wrongCalls(knex: Knex, calls: SynthCall[]): Promise<string[]> {
  const rows = await knex("interactions")
    .whereIn(
      "call_id",
      calls.map((c) => c.callId),
    )
    .select<{ call_id: string; result: string | null }[]>("call_id", "result");
  const results = new Map(rows.map((r) => [r.call_id, r.result]));
  return calls
    .filter((c) => results.get(c.callId) !== c.endedAs)
    .map((c) => `${c.callId} (${c.capture}): ${results.get(c.callId) ?? "missing"}, expected ${c.endedAs}`);
}

async function popPhase(ami: AmiLoadServer, sockets: AgentSockets, calls: SynthCall[]) {
  const written = new Array<number>(calls.length);
  const result = await ami.play(calls, {
    callsPerSecond: RATE,
    isRealTime: true,
    onPop: (i, at) => (written[i] = at),
  });
  // A push that is late is a slow pop, not a lost one: wait for the stragglers a while.
  const deadline = performance.now() + 30_000;
  while (calls.some((c) => !sockets.firstPush.has(c.callId)) && performance.now() < deadline) {
    await sleep(100);
  }
  const samples = calls.flatMap((c, i) => {
    const at = sockets.firstPush.get(c.callId);
    return at === undefined ? [] : [at - written[i]!];
  });
  return { result, samples, missing: calls.length - samples.length };
}

async function main(): Promise<void> {
  const options = readOptions(args.contacts ? ["--contacts", args.contacts] : []);
  const bench = await openBenchDb(options);
  const knex = bench.db.knex;
  const since = new Date();
  await removeRunData(knex, null); // calls an interrupted run left behind
  const agents = await prepareCallCentre(knex);
  const meta = await describeRun(bench, options);
  const ami = await startAmiLoadServer();
  let system: System | null = null;
  let sockets: AgentSockets | null = null;
  try {
    note(
      `bench:cti: ${bench.label}; scenarios ${scenarioMix()
        .map((s) => `${s.name} (${s.frames} frames)`)
        .join(", ")}`,
    );
    system = await startSystem(options.databaseUrl, ami);
    await ami.ready();
    sockets = await connectAgents(system.apiUrl, agents);

    note(`floor: bare lookup + insert + WebSocket message, ${fmtInt(POP_CALLS)} at ${RATE}/s`);
    const floorPhones = await sampleExistingPhones(knex, POP_CALLS, seededRandom(7));
    const floor = await measureFloor(options.databaseUrl, floorPhones.slice(0, POP_CALLS), RATE);

    note(`warm-up: ${RATE * 3} calls at ${RATE}/s`);
    const warm = await buildCalls(knex, RATE * 3, 0, 11);
    await popPhase(ami, sockets, warm);

    note(
      `screen pop: ${fmtInt(POP_CALLS)} calls at ${RATE}/s (each call's frames at the real call's times: ring, answer, transfer, hang-up)`,
    );
    const popCalls = await buildCalls(knex, POP_CALLS, warm.length, 12);
    const pop = await popPhase(ami, sockets, popCalls);
    await waitAllEnded(knex, popCalls, 120_000);

    note(`throughput: ${fmtInt(BURST_CALLS)} calls written as fast as the bridge reads them`);
    const burst = await buildCalls(knex, BURST_CALLS, warm.length + popCalls.length, 13);
    const played = await ami.play(burst, { callsPerSecond: 200, isRealTime: false });
    const endedAt = await waitAllEnded(knex, burst, 600_000);
    const wrong = [...(await wrongCalls(knex, popCalls)), ...(await wrongCalls(knex, burst))];

    const amiSeconds = (played.finishedAt - played.startedAt) / 1000;
    const eventsPerSecond = played.frames / amiSeconds;
    const callsPerSecond = burst.length / ((endedAt - played.startedAt) / 1000);
    const popWall = (pop.result.finishedAt - pop.result.startedAt) / 1000;
    const rows: Measured[] = [
      {
        name: `screen pop at ${RATE} calls/s`,
        http: summarize(pop.samples, popWall * 1000),
        floor: summarize(floor, popWall * 1000),
        floorName: "bare lookup + insert + ws message",
      },
    ];
    const popSummary = rows[0]!.http;
    const targets: Target[] = [
      { name: "screen pop p99", value: popSummary.p99, limit: 50, unit: "ms" },
      { name: "AMI events taken in", value: eventsPerSecond, limit: 15_000, unit: "/s", atLeast: true },
      { name: "calls lost or ended wrong", value: wrong.length, limit: 0, unit: "×" },
      { name: "calls whose card never popped", value: pop.missing, limit: 0, unit: "×" },
    ];
    const lines = [
      `bench:cti — ${bench.label} — ${machineLine(meta)}`,
      "",
      formatTable("screen pop: AMI frame written → first `call` message on an agent's WebSocket (ms)", rows),
      "",
      `screen-pop phase: ${fmtInt(pop.result.frames)} AMI events in ${popWall.toFixed(1)} s (${fmtInt(Math.round(pop.result.frames / popWall))}/s), ${pop.missing} calls without a push`,
      `throughput phase: ${fmtInt(burst.length)} calls, ${fmtInt(played.frames)} AMI events (${(played.bytes / 1e6).toFixed(0)} MB) read by the bridge in ${amiSeconds.toFixed(1)} s = ${fmtInt(Math.round(eventsPerSecond))} events/s; all ended in crm-api after ${((endedAt - played.startedAt) / 1000).toFixed(1)} s = ${callsPerSecond.toFixed(0)} calls/s`,
      ...wrong.slice(0, 10).map((w) => `  wrong: ${w}`),
      "",
      formatTargets(targets),
      formatJson(
        "cti",
        { ...meta, eventsPerSecond: Math.round(eventsPerSecond), callsPerSecond: +callsPerSecond.toFixed(1) },
        rows,
        targets,
      ),
    ];
    printReport(lines.join("\n"));
  } finally {
    sockets?.close();
    if (system) {
      await stopService(system.bridge);
      await stopService(system.api);
      await rm(system.dataDir, { recursive: true, force: true });
    }
    await ami.close();
    await removeRunData(knex, since);
    await bench.db.close();
  }
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  note(`bench:cti failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
});
