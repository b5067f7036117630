import { createRandom } from "../db/seeds/random.ts";

/** Latency summary in milliseconds. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Operations per second over the measured wall time (meaningful for concurrent runs). */
  perSecond: number;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: number[], wallMs: number): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    perSecond: wallMs > 0 ? (sorted.length / wallMs) * 1000 : 0,
  };
}

export interface Measurement {
  /** Latency of each operation in milliseconds, in the order they ran. */
  samples: number[];
  summary: Summary;
}

/** Samples of operations that ran one at a time: the busy time is their sum. */
export function summarizeSequential(samples: number[]): Summary {
  return summarize(
    samples,
    samples.reduce((a, b) => a + b, 0),
  );
}

/**
 * Runs `op(i)` for i in [0, count) with `concurrency` operations in flight and returns each one's latency.
 * With concurrency 1 this is a plain latency measurement: the next call starts when the last one ended.
 */
export async function measure(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
): Promise<Measurement> {
  const samples = new Array<number>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await op(i);
      samples[i] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { samples, summary: summarize(samples, performance.now() - started) };
}

/**
 * Times `a(i)` and `b(i)` alternately, one at a time: on a shared machine whose load drifts, both see the
 * same conditions, so their ratio holds even when the absolute figures wobble. Rates are per busy second.
 */
export async function measurePair(
  count: number,
  a: (i: number) => Promise<void>,
  b: (i: number) => Promise<void>,
): Promise<[Measurement, Measurement]> {
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < count; i++) {
    let started = performance.now();
    await a(i);
    sa.push(performance.now() - started);
    started = performance.now();
    await b(i);
    sb.push(performance.now() - started);
  }
  return [
    { samples: sa, summary: summarizeSequential(sa) },
    { samples: sb, summary: summarizeSequential(sb) },
  ];
}

/** Runs `op` without measuring: fills caches, JIT-compiles, and opens pooled connections. */
export async function warmUp(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
): Promise<void> {
  await measure(count, concurrency, op);
}

/** A seeded pseudo-random generator (the demo seed's mulberry32), so every run draws the same sample. */
export function seededRandom(seed: number): () => number {
  return createRandom(seed).next;
}
