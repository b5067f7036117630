import { isEmpty, migrateLatest, openDb, seedDemo, DEMO_USERS } from "@okno/db";
import pino from "pino";
import { buildApp } from "./app.ts";
import { hashPassword } from "./auth/passwords.ts";
import { loadConfig } from "./config.ts";

/** The demo password (README says to change it); only the demo seed uses it. */
const DEMO_PASSWORD = "demo";

// `npm start`: one process with the embedded database by default. Prints exactly one line
// "Okno is running at http://HOST:PORT" on stdout once it accepts requests (ARCHITECTURE §10).
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino(
    {
      level: config.logLevel,
      ...(process.stderr.isTTY ? { transport: { target: "pino-pretty", options: { destination: 2 } } } : {}),
    },
    pino.destination(2),
  );
  const db = await openDb(config.db);
  const ran = await migrateLatest(db.knex);
  if (ran.length > 0) {
    log.info({ migrations: ran.length }, "database migrated");
  }
  let seeded = false;
  if (config.seed === "demo" && (await isEmpty(db.knex))) {
    await seedDemo(db.knex, await hashPassword(DEMO_PASSWORD), (step, done, total) =>
      log.info({ step, progress: `${Math.round((done / total) * 100)}%` }, "seeding demo company"),
    );
    seeded = true;
  }
  const app = await buildApp({ config, db, log });
  await app.listen({ port: config.http.port, host: config.http.host });
  const shown = config.http.host === "0.0.0.0" ? "localhost" : config.http.host;
  process.stdout.write(`Okno is running at http://${shown}:${config.http.port}\n`);
  if (seeded) {
    const logins = DEMO_USERS.slice(0, 8)
      .map((u) => u.login)
      .join(", ");
    process.stderr.write(
      `Demo company created. Logins: ${logins} (password "${DEMO_PASSWORD}"). Change them before real use.\n`,
    );
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    log.info({ signal }, "shutting down");
    await app.close();
    await db.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Okno failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
