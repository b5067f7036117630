import path from "node:path";
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const EnvSchema = z.object({
  /** Where crm-api listens; the bridge POSTs /api/v1/cti/events there. */
  CRM_API_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:8080"),
  /** The shared secret crm-api expects (its CTI_TOKEN). */
  CTI_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Where the bridge run alone serves webhooks (Mango Office); `npm start` serves them on crm-api's port. */
  BRIDGE_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  BRIDGE_HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  AMI_URL: optional.pipe(
    z
      .string()
      .regex(/^ami:\/\/[^@\s]+@[^\s]+$/, "must look like ami://user:secret@host:5038")
      .optional(),
  ),
  ARI_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ARI_APP: z.string().min(1).default("okno"),
  /** The dialplan context where click-to-call and transfers dial a number or an extension as an agent would. */
  ASTERISK_DIAL_CONTEXT: z
    .string()
    .regex(/^[\w-]+$/, "must be a dialplan context name")
    .default("from-agents"),
  MANGO_API_KEY: optional,
  MANGO_API_SALT: optional,
  MANGO_API_URL: z.url({ protocol: /^https$/ }).default("https://app.mango-office.ru/vpbx/"),
  /** Genesys Cloud region domain, e.g. "mypurecloud.de" or "mypurecloud.com". */
  GENESYS_REGION: optional,
  GENESYS_CLIENT_ID: optional,
  GENESYS_CLIENT_SECRET: optional,
  /** Genesys users to follow with the extension crm-api knows them by: "<userId>:<ext>,<userId>:<ext>". */
  GENESYS_USERS: optional.pipe(
    z
      .string()
      .regex(/^[\w-]+:\d{2,8}(,[\w-]+:\d{2,8})*$/, "must be <userId>:<ext>,…")
      .optional(),
  ),
  /** Genesys queues to follow: "<queueId>[:<name>],…". */
  GENESYS_QUEUES: optional.pipe(
    z
      .string()
      .regex(/^[\w-]+(:[^,]+)?(,[\w-]+(:[^,]+)?)*$/, "must be <queueId>[:<name>],…")
      .optional(),
  ),
  /** Where MixMonitor files can be read when Asterisk runs on this machine. */
  ASTERISK_RECORDINGS_DIR: optional,
});

export interface BridgeConfig {
  crmApiUrl: string;
  ctiToken: string | undefined;
  dataDir: string;
  /** The webhook server of the bridge run alone. */
  http: { port: number; host: string };
  /** Unacknowledged events, on disk: `DATA_DIR/spool`. */
  spoolDir: string;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  asterisk: {
    amiUrl: string;
    ariUrl: string | undefined;
    ariApp: string;
    dialContext: string;
    recordingsDir: string | undefined;
  } | null;
  mango: { apiKey: string; apiSalt: string; apiUrl: string } | null;
  genesys: {
    region: string;
    clientId: string;
    clientSecret: string;
    users: { id: string; ext: string }[];
    queues: { id: string; name?: string }[];
  } | null;
}

/**
 * Reads the environment once, in main; the error lists every bad variable at once. A PBX is enabled by
 * its variables: AMI_URL for Asterisk, MANGO_API_KEY + MANGO_API_SALT for Mango Office, the three
 * GENESYS_* for Genesys Cloud. Half a set is an error, not a silently disabled PBX.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const parsed = EnvSchema.safeParse(env);
  const given = (name: string) => (env[name]?.trim() ? "set" : undefined);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`)),
    ...incomplete({ MANGO_API_KEY: given("MANGO_API_KEY"), MANGO_API_SALT: given("MANGO_API_SALT") }),
    ...(given("GENESYS_REGION") && !given("GENESYS_USERS") && !given("GENESYS_QUEUES")
      ? ["  GENESYS_USERS or GENESYS_QUEUES: say whose calls to follow"]
      : []),
    ...incomplete({
      GENESYS_REGION: given("GENESYS_REGION"),
      GENESYS_CLIENT_ID: given("GENESYS_CLIENT_ID"),
      GENESYS_CLIENT_SECRET: given("GENESYS_CLIENT_SECRET"),
    }),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new Error(`invalid configuration:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  return {
    crmApiUrl: e.CRM_API_URL.replace(/\/+$/, ""),
    ctiToken: e.CTI_TOKEN,
    dataDir: e.DATA_DIR,
    http: { port: e.BRIDGE_PORT, host: e.BRIDGE_HOST },
    spoolDir: path.join(e.DATA_DIR, "spool"),
    logLevel: e.LOG_LEVEL,
    asterisk: e.AMI_URL
      ? {
          amiUrl: e.AMI_URL,
          ariUrl: e.ARI_URL,
          ariApp: e.ARI_APP,
          dialContext: e.ASTERISK_DIAL_CONTEXT,
          recordingsDir: e.ASTERISK_RECORDINGS_DIR,
        }
      : null,
    mango:
      e.MANGO_API_KEY && e.MANGO_API_SALT
        ? { apiKey: e.MANGO_API_KEY, apiSalt: e.MANGO_API_SALT, apiUrl: e.MANGO_API_URL }
        : null,
    genesys:
      e.GENESYS_REGION && e.GENESYS_CLIENT_ID && e.GENESYS_CLIENT_SECRET
        ? {
            region: e.GENESYS_REGION,
            clientId: e.GENESYS_CLIENT_ID,
            clientSecret: e.GENESYS_CLIENT_SECRET,
            users: pairs(e.GENESYS_USERS).map(([id, ext]) => ({ id, ext: ext ?? "" })),
            queues: pairs(e.GENESYS_QUEUES).map(([id, name]) => (name ? { id, name } : { id })),
          }
        : null,
  };
}

/** "a:1,b:2" → [["a","1"],["b","2"]]; the name part may hold further colons. */
function pairs(list: string | undefined): [string, string | undefined][] {
  return (list ?? "")
    .split(",")
    .filter(Boolean)
    .map((item) => {
      const at = item.indexOf(":");
      return at < 0 ? [item, undefined] : [item.slice(0, at), item.slice(at + 1)];
    });
}

/** "set MANGO_API_SALT too" for each missing member of a set of which some are given. */
function incomplete(set: Record<string, string | undefined>): string[] {
  const given = Object.values(set).some((v) => v !== undefined);
  return given
    ? Object.entries(set)
        .filter(([, v]) => v === undefined)
        .map(
          ([name]) =>
            `  ${name}: required with ${Object.keys(set)
              .filter((n) => n !== name)
              .join(", ")}`,
        )
    : [];
}
