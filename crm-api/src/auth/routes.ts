import { ApiToken, ApiTokenCreate, LoginBody, LoginResult, Me } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { notifyAuthChange, toMe } from "./service.ts";
import { dummyPasswordHash, verifyPassword } from "./passwords.ts";
import { principalOf, requestToken, SESSION_COOKIE } from "./plugin.ts";
import { deleteSession, findPrincipalByUserId, findUserForLogin, insertSession } from "./repo.ts";
import { hashToken, newToken } from "./tokens.ts";

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, config } = ctx;

    app.post(
      "/auth/login",
      {
        config: {
          public: true,
          rateLimit: { max: config.auth.loginRateLimit, timeWindow: "1 minute" },
        },
        schema: { tags: ["auth"], body: LoginBody, response: { 200: LoginResult } },
      },
      async (req, reply) => {
        const user = await findUserForLogin(db.knex, req.body.login);
        // Always run one argon2 verification so timing does not tell which logins exist.
        const ok = await verifyPassword(
          user?.password_hash ?? (await dummyPasswordHash()),
          req.body.password,
        );
        if (!user || !ok || !user.is_active) {
          req.log.info({ login: req.body.login }, "login failed");
          throw new AppError(401, "invalid_credentials", "wrong login or password");
        }
        const principal = await findPrincipalByUserId(db.knex, user.id);
        if (!principal) {
          throw new AppError(401, "invalid_credentials", "wrong login or password");
        }
        const token = newToken();
        const expiresAt = new Date(Date.now() + config.auth.sessionTtlHours * 3600_000);
        await insertSession(db.knex, {
          tokenHash: hashToken(token),
          userId: user.id,
          kind: "session",
          ip: req.ip,
          userAgent: req.headers["user-agent"],
          expiresAt,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: "/",
          httpOnly: true,
          sameSite: "lax",
          secure: config.auth.cookieSecure,
          expires: expiresAt,
        });
        req.log.info({ userId: user.id }, "login");
        return { token, expiresAt: expiresAt.toISOString(), user: toMe(principal) };
      },
    );

    app.post(
      "/auth/logout",
      { schema: { tags: ["auth"], response: { 204: z.null() } } },
      async (req, reply) => {
        const token = requestToken(req);
        if (token) {
          const tokenHash = hashToken(token);
          await deleteSession(db.knex, tokenHash);
          await notifyAuthChange(ctx, tokenHash);
        }
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.status(204).send(null);
      },
    );

    app.get("/auth/me", { schema: { tags: ["auth"], response: { 200: Me } } }, async (req) =>
      toMe(principalOf(req)),
    );

    app.post(
      "/auth/tokens",
      { schema: { tags: ["auth"], body: ApiTokenCreate, response: { 201: ApiToken } } },
      async (req, reply) => {
        const p = principalOf(req);
        const token = newToken();
        await insertSession(db.knex, {
          tokenHash: hashToken(token),
          userId: p.userId,
          kind: "api",
          name: req.body.name,
          ip: req.ip,
          expiresAt: null,
        });
        return reply.status(201).send({ token, name: req.body.name, createdAt: new Date().toISOString() });
      },
    );
  };
