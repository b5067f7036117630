import type { FastifyBaseLogger } from "fastify";
import type { Knex } from "knex";
import { ACW_END_JOB, endAcwJob } from "../agents/acw.ts";
import { scanDuplicates } from "../duplicates/scan.ts";
import { TASK_REMINDER_JOB, taskReminderJob } from "../tasks/reminders.ts";
import { deleteFinishedJobs } from "./queue.ts";
import { dailyAt, type Schedule } from "./schedule.ts";
import { startJobWorker, type JobHandlers, type JobWorker } from "./worker.ts";

/** The customers' working day is Moscow time: nightly work runs when nobody is calling. */
const NIGHT_ZONE = "Europe/Moscow";

/** Every job kind and its handler. A new kind is one line here. */
export const jobHandlers: JobHandlers = {
  "duplicates.scan": async (_payload, { db, log }) => {
    log.info(await scanDuplicates(db), "duplicate pairs recomputed");
  },
  "jobs.cleanup": async (_payload, { db, log }) => {
    log.info({ deleted: await deleteFinishedJobs(db, 30) }, "finished jobs deleted");
  },
  [ACW_END_JOB]: endAcwJob,
  [TASK_REMINDER_JOB]: taskReminderJob,
};

export const schedules: readonly Schedule[] = [
  { kind: "duplicates.scan", next: dailyAt(3, 0, NIGHT_ZONE) },
  { kind: "jobs.cleanup", next: dailyAt(4, 30, NIGHT_ZONE) },
];

/** Starts this instance's worker with every handler and schedule; server.ts (startServer) stops it on shutdown. */
export function startJobs(db: Knex, log: FastifyBaseLogger): JobWorker {
  return startJobWorker({ db, log, handlers: jobHandlers, schedules });
}
