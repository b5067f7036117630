import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CallEvent } from "@okno/contracts";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { laneIndex, openPublisher, type Publisher } from "./publish.ts";

const TOKEN = "bridge-test-token-0123456789abcdefghij";
const log = pino({ level: "silent" });

let n = 0;
function ringing(callId = "ast1:1"): CallEvent {
  n += 1;
  return {
    id: randomUUID(),
    type: "call.ringing",
    callId,
    pbx: "ast1",
    at: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, n)).toISOString(),
    direction: "in",
    from: "+79161234567",
    to: "+74951234567",
  };
}

function held(callId: string): CallEvent {
  const { id, at } = ringing(callId);
  return { id, at, callId, pbx: "ast1", type: "call.held" };
}

/**
 * A stand-in for crm-api's POST /api/v1/cti/events that records what it accepted; `status` makes it
 * fail, `refuse` rejects batches holding one of those ids with 400, `stop()` takes it off the network.
 */
class FakeCrm {
  batches: CallEvent[][] = [];
  status = 200;
  refuse = new Set<string>();
  /** Batches holding an event of these calls are answered only once `release()` is called. */
  slow = new Set<string>();
  private released: Promise<void> = Promise.resolve();
  release: () => void = () => {};

  holdSlowCalls(): void {
    this.released = new Promise((resolve) => (this.release = resolve));
  }
  private server: Server | null = null;
  port = 0;

  get received(): string[] {
    return this.batches.flat().map((e) => e.id);
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) {
      body += String(chunk);
    }
    const events = (JSON.parse(body) as { events: CallEvent[] }).events;
    if (events.some((e) => this.slow.has(e.callId))) {
      await this.released;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end();
    } else if (this.status !== 200) {
      res.writeHead(this.status).end("{}");
    } else if (events.some((e) => this.refuse.has(e.id))) {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"code":"invalid_request"}}');
    } else {
      const seen = new Set(this.received);
      this.batches.push(events);
      const duplicates = events.filter((e) => seen.has(e.id)).length;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ accepted: events.length - duplicates, duplicates }));
    }
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) {
      throw new Error("timed out");
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("publisher", () => {
  let crm: FakeCrm;
  let dir: string;
  const open: Publisher[] = [];
  const openOn = async (extra: { maxBatch?: number; lingerMs?: number; lanes?: number } = {}) => {
    const p = await openPublisher({
      url: crm.url,
      token: TOKEN,
      spoolDir: dir,
      log,
      backoff: { initialMs: 20, maxMs: 100 },
      ...extra,
    });
    open.push(p);
    return p;
  };
  const spoolFiles = () => readdirSync(dir).filter((f) => f.endsWith(".jsonl") && f !== "rejected.jsonl");
  const spooledIds = () =>
    spoolFiles().flatMap((f) =>
      readFileSync(path.join(dir, f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as CallEvent).id),
    );

  beforeEach(async () => {
    crm = new FakeCrm();
    await crm.start();
    dir = mkdtempSync(path.join(tmpdir(), "okno-spool-"));
  });
  afterEach(async () => {
    crm.release();
    for (const p of open.splice(0)) {
      await p.close();
    }
    await crm.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends events published together in one batch, and a large burst in batches of maxBatch, in order", async () => {
    const p = await openOn({ maxBatch: 100 });
    p.start();
    const three = [ringing(), ringing(), ringing()];
    three.forEach((e) => p.publish(e));
    expect(await p.drain()).toBe(true);
    expect(crm.batches).toHaveLength(1);
    expect(crm.batches[0]!.map((e) => e.id)).toEqual(three.map((e) => e.id));

    const burst = Array.from({ length: 250 }, () => ringing());
    burst.forEach((e) => p.publish(e));
    expect(await p.drain()).toBe(true);
    expect(crm.batches.slice(1).every((b) => b.length <= 100)).toBe(true);
    expect(crm.received).toEqual([...three, ...burst].map((e) => e.id));
    expect(p.stats()).toMatchObject({ published: 253, delivered: 253, pending: 0 });
    expect(spoolFiles()).toEqual([]);
  });

  it("sends a ringing call ahead of the backlog, so the card does not wait for it", async () => {
    const p = await openOn({ maxBatch: 2 });
    p.start();
    crm.status = 503; // crm-api is restarting: a backlog of bookkeeping builds up
    const backlog = Array.from({ length: 5 }, () => held("ast1:1"));
    backlog.forEach((e) => p.publish(e));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = ringing("ast1:2");
    p.publish(next);
    await new Promise((resolve) => setTimeout(resolve, 50));
    crm.status = 200;
    expect(await p.drain()).toBe(true);
    expect(crm.batches[0]![0]!.id).toBe(next.id);
    expect(crm.received).toEqual([next, ...backlog].map((e) => e.id));
    expect(spoolFiles()).toEqual([]);
  });

  it("does not hold a ringing call behind another call's slow batch, and keeps each call's events in order", async () => {
    const p = await openOn({ lanes: 4 });
    p.start();
    const slowCall = "ast1:slow";
    const otherLane = ["ast1:a", "ast1:b", "ast1:c", "ast1:d", "ast1:e"].find(
      (id) => laneIndex(id, 4) !== laneIndex(slowCall, 4),
    )!;
    crm.slow.add(slowCall);
    crm.holdSlowCalls();
    const stuck = [ringing(slowCall), held(slowCall)];
    stuck.forEach((e) => p.publish(e));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = held(slowCall); // waits for its own call's batch: it must not overtake it
    p.publish(later);
    const pop = ringing(otherLane);
    p.publish(pop);
    await waitUntil(() => crm.received.includes(pop.id));
    expect(crm.received).toEqual([pop.id]);
    crm.release();
    expect(await p.drain()).toBe(true);
    expect(crm.received.filter((id) => id !== pop.id)).toEqual([...stuck, later].map((e) => e.id));
    expect(spoolFiles()).toEqual([]);
  });

  it("keeps events on disk while crm-api is down and delivers each call's events in order when it is back", async () => {
    const p = await openOn();
    p.start();
    const first = ringing();
    p.publish(first);
    expect(await p.drain()).toBe(true);

    await crm.stop();
    const during = Array.from({ length: 30 }, (_, i) => ringing(`ast1:${i % 4}`));
    for (const e of during) {
      p.publish(e);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await p.drain(300)).toBe(false);
    expect(spooledIds()).toEqual(during.map((e) => e.id));

    crm.status = 503;
    await crm.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(crm.received).toEqual([first.id]);
    crm.status = 200;
    expect(await p.drain()).toBe(true);
    expect(crm.received).toHaveLength(1 + during.length);
    for (const callId of ["ast1:0", "ast1:1", "ast1:2", "ast1:3"]) {
      const ofCall = [first, ...during].filter((e) => e.callId === callId).map((e) => e.id);
      expect(crm.received.filter((id) => ofCall.includes(id))).toEqual(ofCall);
    }
    expect(p.stats().retries).toBeGreaterThan(0);
    expect(spoolFiles()).toEqual([]);
  });

  it("delivers what a previous run left in the spool before anything new", async () => {
    await crm.stop();
    const before = await openOn();
    before.start();
    const left = Array.from({ length: 12 }, () => ringing());
    left.forEach((e) => before.publish(e));
    expect(await before.drain(200)).toBe(false);
    await before.close();
    open.splice(0);
    expect(spooledIds()).toEqual(left.map((e) => e.id));

    await crm.start();
    const after = await openOn();
    const fresh = ringing();
    after.publish(fresh);
    after.start();
    expect(await after.drain()).toBe(true);
    expect(crm.received).toEqual([...left, fresh].map((e) => e.id));
    expect(spoolFiles()).toEqual([]);
  });

  it("skips a torn last line left by a crash and delivers the rest", async () => {
    const whole = [ringing(), ringing()];
    writeFileSync(path.join(dir, "000000000007.jsonl"), whole.map((e) => `${JSON.stringify(e)}\n`).join(""));
    appendFileSync(path.join(dir, "000000000007.jsonl"), JSON.stringify(ringing()).slice(0, 40));
    const p = await openOn();
    p.start();
    expect(await p.drain()).toBe(true);
    expect(crm.received).toEqual(whole.map((e) => e.id));
    expect(spoolFiles()).toEqual([]);
  });

  it("isolates an event crm-api refuses, keeps it aside, and delivers the others", async () => {
    const p = await openOn({ maxBatch: 50 });
    const events = Array.from({ length: 9 }, () => ringing());
    crm.refuse.add(events[5]!.id);
    events.forEach((e) => p.publish(e));
    p.start();
    expect(await p.drain()).toBe(true);
    expect(crm.received).toEqual(events.filter((_, i) => i !== 5).map((e) => e.id));
    expect(p.stats()).toMatchObject({ rejected: 1, delivered: 8 });
    const rejected = readFileSync(path.join(dir, "rejected.jsonl"), "utf8");
    expect(JSON.parse(rejected.trim())).toMatchObject({ id: events[5]!.id });
  });

  it("counts a redelivered batch as duplicates and drops events that break the contract", async () => {
    const p = await openOn();
    p.start();
    p.publish({ ...ringing(), at: "not a time" });
    expect(p.stats()).toMatchObject({ invalid: 1, published: 0 });
    const e = ringing();
    p.publish(e);
    expect(await p.drain()).toBe(true);
    p.publish(e);
    expect(await p.drain()).toBe(true);
    expect(p.stats()).toMatchObject({ delivered: 2, duplicates: 1 });
  });
});
