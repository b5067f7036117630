export { openDb, type Db, type DbConfig, type DbKind, type Listener } from "./openDb.ts";
export { migrateLatest, migrateRollbackAll, migrationNames } from "./migrate.ts";
export { ensureRoles, ROLE_NAMES } from "./seedRoles.ts";
export { seedDemo, isEmpty, DEMO_USERS, type SeedProgress } from "../seeds/demo.ts";
export * as demoNames from "../seeds/names.ts";
export { createRandom, type Random } from "../seeds/random.ts";
