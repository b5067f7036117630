import { migrateLatest } from "./migrate.ts";
import { openDb } from "./openDb.ts";

// `npm run db:migrate`: the same database the server would open (DATABASE_URL, else PGlite in DATA_DIR).
const db = await openDb({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? "./data" });
try {
  const ran = await migrateLatest(db.knex);
  process.stdout.write(
    ran.length > 0 ? `applied ${ran.length} migration(s): ${ran.join(", ")}\n` : "already up to date\n",
  );
} finally {
  await db.close();
}
