import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const HARNESS_DIR = fileURLToPath(new URL("../harness/", import.meta.url));
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript" };

export interface HarnessServer {
  /** `http://127.0.0.1:<port>/`: a secure context for getUserMedia, like every loopback origin. */
  url: string;
  close: () => Promise<void>;
}

/** Bundles e2e/harness (the softphone module on a bare page) with Vite and serves it on loopback. */
export async function startHarnessServer(): Promise<HarnessServer> {
  const outDir = await mkdtemp(join(tmpdir(), "okno-harness-"));
  await build({
    configFile: false,
    root: HARNESS_DIR,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, target: "es2022", sourcemap: true },
  });
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const file = join(outDir, path === "/" ? "index.html" : path);
    stat(file)
      .then((info) => {
        if (!file.startsWith(outDir) || !info.isFile()) {
          throw new Error("not found");
        }
        response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
        createReadStream(file).pipe(response);
      })
      .catch(() => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
