import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from "fastify";
import { AppError } from "../errors.ts";

/** Where `npm run build` puts the agent desktop (agent-desktop/dist), relative to this file. */
export const DEFAULT_DESKTOP_DIR = fileURLToPath(new URL("../../../agent-desktop/dist/", import.meta.url));

/** Paths that belong to the server: a miss under them is a JSON 404, never the app's index.html. */
const SERVER_PREFIXES = ["/api/", "/docs", "/webhooks/", "/health"];

/** Vite names built assets by content hash: a file never changes under its name. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html, sw.js, the manifest and icons: revalidated (ETag) so a new build shows up at once. */
const REVALIDATE = "no-cache";

/**
 * Serves the built agent desktop on crm-api's own port: the files in `dir`, and index.html for any other
 * GET path (the app routes in the browser: /contacts/…, /tasks). Nothing here needs a session: the app
 * itself asks for one. Without a build it logs how to make one and serves nothing.
 */
export async function registerDesktop(
  app: FastifyInstance,
  dir: string,
  log: FastifyBaseLogger,
): Promise<void> {
  if (!existsSync(path.join(dir, "index.html"))) {
    log.warn({ dir }, "agent desktop not built: run `npm run build` (npm start builds it) to serve the app");
    return;
  }
  await app.register(async (scope) => {
    scope.addHook("onRoute", (route) => {
      route.config = { ...route.config, public: true };
    });
    await scope.register(fastifyStatic, {
      root: dir,
      // One route per file found now, so an unknown path falls through to the app fallback below; a new
      // build is picked up at the next start (npm start rebuilds before it listens).
      wildcard: false,
      cacheControl: false,
      // The manifest is for scripts/bundleSize.ts, not for browsers.
      globIgnore: [".vite/**"],
      setHeaders: (reply, file) => {
        const isAsset = path.relative(dir, file).split(path.sep)[0] === "assets";
        reply.header("cache-control", isAsset ? IMMUTABLE : REVALIDATE);
      },
    });
    scope.get("/*", { schema: { hide: true } }, async (req, reply) => sendAppShell(req.url, reply));
  });
  log.info({ dir }, "serving the agent desktop");
}

function sendAppShell(url: string, reply: FastifyReply): FastifyReply {
  const pathname = url.split("?")[0] ?? "/";
  const lastSegment = pathname.slice(pathname.lastIndexOf("/") + 1);
  // A missing file (an asset of an older build, a typo) must not come back as HTML with status 200.
  if (SERVER_PREFIXES.some((p) => pathname.startsWith(p)) || lastSegment.includes(".")) {
    throw new AppError(404, "not_found", `no route GET ${pathname}`);
  }
  return reply.header("cache-control", REVALIDATE).sendFile("index.html");
}
