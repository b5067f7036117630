import type { Knex } from "knex";
import { migrations } from "../migrations/index.ts";

// Migrations are listed in code rather than read from a folder, so they load the same way under tsx,
// vitest and any bundler: no file-system scanning, no require hooks.
const source: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(migrations)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = migrations[name];
    if (!migration) {
      throw new Error(`unknown migration ${name}`);
    }
    return Promise.resolve(migration);
  },
};

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, ran] = (await knex.migrate.latest({ migrationSource: source })) as [number, string[]];
  return ran;
}

export async function migrateRollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource: source }, true);
}

export function migrationNames(): string[] {
  return Object.keys(migrations);
}
