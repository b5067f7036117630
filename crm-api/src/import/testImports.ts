import type { ImportRun } from "@okno/contracts";
import type { TestApp, TestLogin } from "../test/testApp.ts";

/**
 * Uploads a file to POST /imports as `login` and, when the run goes to the background (202), polls
 * GET /imports/:id until it ends, calling `onPoll` with each state seen. Throws on any other status.
 */
export async function runImport(
  t: TestApp,
  login: TestLogin,
  file: Buffer,
  contentType: string,
  query: Record<string, string>,
  onPoll: (run: ImportRun) => void = () => {},
): Promise<ImportRun> {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v1/imports?${new URLSearchParams(query).toString()}`,
    headers: { ...t.as(login), "content-type": contentType },
    payload: file,
  });
  if (res.statusCode !== 201 && res.statusCode !== 202) {
    throw new Error(`POST /imports answered ${res.statusCode}: ${res.body}`);
  }
  let run = res.json<ImportRun>();
  while (run.status === "running" || run.status === "queued") {
    onPoll(run);
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = (
      await t.app.inject({ method: "GET", url: `/api/v1/imports/${run.id}`, headers: t.as(login) })
    ).json<ImportRun>();
  }
  return run;
}
