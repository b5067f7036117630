import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";

const isJsonArray = (text: string) => {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
};

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OKNO_SEED: z.enum(["demo", "none"]).optional(),
  /** Send the session cookie with `Secure`; turn on behind HTTPS. */
  COOKIE_SECURE: bool.default(false),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  /** Login attempts per IP and minute before 429. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Writes (POST/PUT/PATCH/DELETE) per user and minute before 429. */
  WRITE_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /**
   * Shared secret of the CTI bridge (POST /api/v1/cti/events). Unset = the route refuses everything;
   * the one-process launcher generates one at start. Long and random: it lets its holder write calls.
   */
  CTI_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * Where the CTI bridge takes commands (POST <BRIDGE_URL>/bridge/commands: click-to-call, transfer,
   * listen). Default: this server's own address, where `npm start` mounts the bridge's routes.
   */
  BRIDGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Call recordings (crm-api/src/recordings); default DATA_DIR/recordings. */
  RECORDINGS_DIR: z.string().min(1).optional(),
  /** The PBX's SIP-over-WebSocket endpoint the softphones register to (wss://pbx:8089/ws). */
  SIP_WS_URL: z
    .string()
    .regex(/^wss?:\/\//, "must be a ws:// or wss:// URL")
    .optional(),
  /** The SIP domain (realm) of the extensions. */
  SIP_DOMAIN: z.string().min(1).optional(),
  /** STUN/TURN for the softphones: a JSON array of RTCIceServer, or comma-separated URLs. */
  SIP_ICE_SERVERS: z
    .string()
    .min(1)
    .refine(
      (v) => !v.trim().startsWith("[") || isJsonArray(v),
      "must be a JSON array or comma-separated URLs",
    )
    .optional(),
  /** Kamailio auth_ephemeral shared secret: softphones get 12-hour credentials instead of stored ones. */
  SIP_EPHEMERAL_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Encrypts stored SIP passwords (AES-256-GCM, key = SHA-256 of this value); unset = stored as given. */
  SIP_SECRET_KEY: z.string().min(16, "must be at least 16 characters").optional(),
});

export interface Config {
  http: { port: number; host: string };
  dataDir: string;
  /** Uploaded files (POST /files): `DATA_DIR/files`. */
  filesDir: string;
  /** Call recordings store: `RECORDINGS_DIR`, default `DATA_DIR/recordings`. */
  recordingsDir: string;
  db: { databaseUrl: string | undefined; dataDir: string | undefined };
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  seed: "demo" | "none";
  auth: { cookieSecure: boolean; sessionTtlHours: number; loginRateLimit: number; writeRateLimit: number };
  cti: { token: string | undefined };
  /** The CTI bridge's base URL for commands (crm-api/src/calls/bridgeClient.ts). */
  bridge: { url: string };
  sip: {
    wsUrl: string | undefined;
    domain: string | undefined;
    iceServers: string | undefined;
    ephemeralSecret: string | undefined;
    secretKey: string | undefined;
  };
}

/** This server as seen from the same machine: a wildcard listen address is reached on loopback. */
function ownUrl(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Reads the environment once, in main; the error lists every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    http: { port: e.PORT, host: e.HOST },
    dataDir: e.DATA_DIR,
    filesDir: path.join(e.DATA_DIR, "files"),
    recordingsDir: e.RECORDINGS_DIR ?? path.join(e.DATA_DIR, "recordings"),
    db: { databaseUrl: e.DATABASE_URL, dataDir: e.DATABASE_URL ? undefined : e.DATA_DIR },
    logLevel: e.LOG_LEVEL,
    // The demo company is the default only for the embedded database: a real PostgreSQL starts empty.
    seed: e.OKNO_SEED ?? (e.DATABASE_URL ? "none" : "demo"),
    auth: {
      cookieSecure: e.COOKIE_SECURE,
      sessionTtlHours: e.SESSION_TTL_HOURS,
      loginRateLimit: e.LOGIN_RATE_LIMIT,
      writeRateLimit: e.WRITE_RATE_LIMIT,
    },
    cti: { token: e.CTI_TOKEN },
    bridge: { url: (e.BRIDGE_URL ?? ownUrl(e.HOST, e.PORT)).replace(/\/+$/, "") },
    sip: {
      wsUrl: e.SIP_WS_URL,
      domain: e.SIP_DOMAIN,
      iceServers: e.SIP_ICE_SERVERS,
      ephemeralSecret: e.SIP_EPHEMERAL_SECRET,
      secretKey: e.SIP_SECRET_KEY,
    },
  };
}

/** Configuration for tests: in-memory database, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests log in many times from one address: the login limit gets its own test with a low value.
  return {
    ...loadConfig({
      LOG_LEVEL: "silent",
      OKNO_SEED: "none",
      LOGIN_RATE_LIMIT: "1000",
      WRITE_RATE_LIMIT: "100000",
    }),
    // Never the repository's ./data: a directory of its own, created only if a test uploads a file.
    filesDir: path.join(tmpdir(), `okno-test-files-${randomUUID()}`),
    recordingsDir: path.join(tmpdir(), `okno-test-recordings-${randomUUID()}`),
    ...overrides,
  };
}
