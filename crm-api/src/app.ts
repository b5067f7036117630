import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import type { Db } from "@okno/db";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { PrincipalCache } from "./auth/cache.ts";
import { registerAuth } from "./auth/plugin.ts";
import { auditRoutes } from "./audit/routes.ts";
import { authRoutes } from "./auth/routes.ts";
import type { Config } from "./config.ts";
import { contactRoutes } from "./contacts/routes.ts";
import { DEFAULT_DESKTOP_DIR, registerDesktop } from "./desktop/routes.ts";
import { departmentRoutes } from "./departments/routes.ts";
import { roleRoutes } from "./roles/routes.ts";
import { userRoutes } from "./users/routes.ts";
import type { AppContext } from "./context.ts";
import { registerErrorHandler } from "./errorHandler.ts";
import { registerHostileInputGuard } from "./hostileInput.ts";
import { registerWriteRateLimit } from "./writeRateLimit.ts";
import { realtimeRoutes } from "./realtime/routes.ts";
import { interactionRoutes } from "./interactions/routes.ts";
import { taskRoutes } from "./tasks/routes.ts";
import { companyRoutes } from "./companies/routes.ts";
import { dealRoutes } from "./deals/routes.ts";
import { duplicateRoutes } from "./duplicates/routes.ts";
import { leadRoutes } from "./leads/routes.ts";
import { pipelineRoutes } from "./pipelines/routes.ts";
import { sourceRoutes } from "./sources/routes.ts";
import { fieldRoutes } from "./fields/routes.ts";
import { fileRoutes } from "./files/routes.ts";
import { exportRoutes } from "./export/routes.ts";
import { importRoutes } from "./import/routes.ts";
import { productRoutes } from "./products/routes.ts";
import { ctiRoutes } from "./cti/routes.ts";
import { agentRoutes } from "./agents/routes.ts";
import { callLogRoutes } from "./callLog/routes.ts";
import { recordingRoutes } from "./recordings/routes.ts";
import { kbRoutes } from "./kb/routes.ts";
import { scriptRoutes } from "./scripts/routes.ts";
import { callRoutes } from "./calls/routes.ts";

export interface BuildAppOptions {
  config: Config;
  db: Db;
  log?: FastifyBaseLogger;
  /** The built agent desktop to serve (tests point it elsewhere); default agent-desktop/dist. */
  desktopDir?: string;
}

/** The whole HTTP application, ready to `listen` or to `inject` in tests. Listens on nothing itself. */
export async function buildApp({ config, db, log, desktopDir }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(log ? { loggerInstance: log } : { logger: { level: config.logLevel } }),
    bodyLimit: 1024 * 1024,
    // Never log request bodies or auth headers: they carry passwords, tokens and personal data.
    // Request lines carry URLs with phone numbers: only at debug and trace.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== "debug" && config.logLevel !== "trace",
    }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerHostileInputGuard(app);

  const ctx: AppContext = { config, db, log: app.log, principalCache: new PrincipalCache() };

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  // Clients only send pings: a small frame limit keeps a misbehaving client from costing memory.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: "Okno CRM API", version: "1" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  await registerAuth(app, db, ctx.principalCache);

  app.get(
    "/health",
    {
      config: { public: true },
      schema: {
        response: { 200: z.object({ status: z.literal("ok"), db: z.enum(["pglite", "postgres"]) }) },
      },
    },
    async () => {
      await db.knex.raw("select 1");
      return { status: "ok" as const, db: db.kind };
    },
  );

  await app.register(
    async (api) => {
      registerWriteRateLimit(api, config.auth.writeRateLimit);
      await api.register(authRoutes(ctx));
      await api.register(contactRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(departmentRoutes(ctx));
      await api.register(roleRoutes(ctx));
      await api.register(realtimeRoutes(ctx));
      await api.register(taskRoutes(ctx));
      await api.register(interactionRoutes(ctx));
      await api.register(companyRoutes(ctx));
      await api.register(pipelineRoutes(ctx));
      await api.register(sourceRoutes(ctx));
      await api.register(leadRoutes(ctx));
      await api.register(dealRoutes(ctx));
      await api.register(duplicateRoutes(ctx));
      await api.register(auditRoutes(ctx));
      await api.register(fieldRoutes(ctx));
      await api.register(ctiRoutes(ctx));
      await api.register(agentRoutes(ctx));
      await api.register(callLogRoutes(ctx));
      await api.register(recordingRoutes(ctx));
      await api.register(kbRoutes(ctx));
      await api.register(scriptRoutes(ctx));
      await api.register(callRoutes(ctx));
      await api.register(fileRoutes(ctx));
      await api.register(productRoutes(ctx));
      await api.register(importRoutes(ctx));
      await api.register(exportRoutes(ctx));
    },
    { prefix: "/api/v1" },
  );
  await registerDesktop(app, desktopDir ?? DEFAULT_DESKTOP_DIR, app.log);

  return app;
}
