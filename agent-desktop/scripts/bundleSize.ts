import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * `npm run bench:bundle`: the gzipped size of the agent view's initial JavaScript (the entry chunk and
 * everything it imports statically) and of each lazy chunk, from Vite's build manifest. Exits 1 when the
 * initial JS exceeds the budget from the issue (300 KB gzipped). Run `npm run build` first.
 */
const BUDGET_BYTES = 300 * 1024;
const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

function gzipSize(file: string): number {
  return gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
}

/** The chunks a page load fetches before it can run: the entry and its static imports, transitively. */
export function initialChunks(manifest: Manifest): Set<string> {
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entry) {
    throw new Error("the manifest has no entry chunk");
  }
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) {
      visit(imported);
    }
  };
  visit(entry);
  return seen;
}

function main(): void {
  const manifest = JSON.parse(readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8")) as Manifest;
  const initial = initialChunks(manifest);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  let initialBytes = 0;
  const lines: string[] = [];
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.file.endsWith(".js")) {
      continue;
    }
    const size = gzipSize(chunk.file);
    const isInitial = initial.has(key);
    if (isInitial) {
      initialBytes += size;
    }
    lines.push(`${isInitial ? "initial" : "lazy   "}  ${kb(size).padStart(9)}  ${chunk.file}`);
  }
  process.stdout.write(`${lines.sort().join("\n")}\n`);
  const verdict = initialBytes <= BUDGET_BYTES ? "within" : "OVER";
  process.stdout.write(
    `initial JS of the agent view: ${kb(initialBytes)} gzipped (${verdict} the ${kb(BUDGET_BYTES)} budget)\n`,
  );
  if (initialBytes > BUDGET_BYTES) {
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main();
}
