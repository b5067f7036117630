import type { Knex } from "knex";
import { enqueue } from "./queue.ts";

/** A job that repeats: after each run (or final failure) its next run is queued. */
export interface Schedule {
  kind: string;
  /** The first run time strictly after `after`. */
  next(after: Date): Date;
}

const MINUTE = 60_000;

/** Minutes the zone's wall clock is ahead of UTC at this instant (Moscow: +180). */
function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<"year" | "month" | "day" | "hour" | "minute", number>;
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((wall - Math.floor(at.getTime() / MINUTE) * MINUTE) / MINUTE);
}

/** The instant when the zone's clock shows this wall time (the later one when a DST shift repeats it). */
function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month, day, hour, minute);
  const first = wall - zoneOffsetMinutes(new Date(wall), timeZone) * MINUTE;
  // Across a DST change the offset at the guess and at the answer differ; one correction settles it.
  return new Date(wall - zoneOffsetMinutes(new Date(first), timeZone) * MINUTE);
}

/** Every day at hour:minute on the wall clock of `timeZone` ("Europe/Moscow"). */
export function dailyAt(hour: number, minute: number, timeZone: string): Schedule["next"] {
  return (after) => {
    const local = new Date(after.getTime() + zoneOffsetMinutes(after, timeZone) * MINUTE);
    for (let day = 0; day <= 2; day += 1) {
      const at = zonedTime(
        local.getUTCFullYear(),
        local.getUTCMonth(),
        local.getUTCDate() + day,
        hour,
        minute,
        timeZone,
      );
      if (at > after) {
        return at;
      }
    }
    throw new Error("unreachable: a daily time always occurs within two days");
  };
}

/** The dedupe key of one run: every instance that schedules this run computes the same key. */
export const runKey = (kind: string, runAt: Date) => `${kind}@${runAt.toISOString()}`;

/**
 * Queues the next run of a schedule after `now`. Safe to call from every instance at once (at start-up and
 * after each run): the key names the run, so the second insert of the same run is ignored.
 */
export async function scheduleNext(
  db: Knex | Knex.Transaction,
  schedule: Schedule,
  now: Date = new Date(),
): Promise<Date> {
  const runAt = schedule.next(now);
  await enqueue(db, schedule.kind, {}, { runAt, dedupeKey: runKey(schedule.kind, runAt) });
  return runAt;
}
