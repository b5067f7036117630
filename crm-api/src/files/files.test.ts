import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { Deal, StoredFile } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDeal, buildPipeline } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { MAX_FILE_BYTES } from "./service.ts";

describe("files", () => {
  let t: TestApp;
  let filesDir: string;
  // A small PDF-like payload with bytes that are not valid UTF-8: it must come back byte for byte.
  const contract = Buffer.concat([
    Buffer.from("%PDF-1.7\n"),
    Buffer.from([0xc3, 0x28, 0x00, 0xff]),
    Buffer.alloc(5000, 7),
  ]);

  const upload = (login: TestLogin, body: Buffer, name?: string, contentType = "application/pdf") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/files",
      query: name === undefined ? {} : { name },
      headers: { ...t.as(login), "content-type": contentType },
      payload: body,
    });
  const fileRows = async () => Number((await t.db.knex("files").count({ n: "*" }))[0]!.n);

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), "okno-files-"));
    t = await startTestApp({ filesDir });
  });
  afterAll(async () => {
    await t.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  it("stores an upload and gives it back, with its type and name, to any signed-in user", async () => {
    const res = await upload("manager1", contract, "Договор №5 «Уют».pdf");
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json<StoredFile>();
    expect(file).toMatchObject({
      name: "Договор №5 «Уют».pdf",
      contentType: "application/pdf",
      size: contract.length,
      sha256: createHash("sha256").update(contract).digest("hex"),
      uploadedBy: t.org.users.manager1.id,
    });

    const download = await t.app.inject({ url: `/api/v1/files/${file.id}`, headers: t.as("agent1") });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(contract)).toBe(true);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toBe(
      `attachment; filename="_______ _5 _____.pdf"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    );
  });

  it("keeps a JSON or HTML upload as raw bytes and never serves it inline", async () => {
    const page = Buffer.from("<html><script>alert(1)</script></html>");
    const res = await upload("manager1", page, "page.html", "text/html; charset=utf-8");
    const download = await t.app.inject({
      url: `/api/v1/files/${res.json<StoredFile>().id}`,
      headers: t.as("manager1"),
    });
    expect(download.body).toBe(page.toString());
    expect(download.headers["content-type"]).toBe("text/html");
    expect(download.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");

    const json = await upload("manager1", Buffer.from('{"a": [1, 2'), "broken.json", "application/json");
    expect(json.statusCode).toBe(201);
  });

  it("refuses an upload without a name or over 20 MiB, and leaves nothing behind", async () => {
    const before = await fileRows();
    const unnamed = await upload("manager1", contract);
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.fields).toHaveProperty(["querystring.name"]);

    const huge = await upload("manager1", Buffer.alloc(MAX_FILE_BYTES + 1), "scan.tiff", "image/tiff");
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe("payload_too_large");
    // Without a Content-Length (a chunked upload) the limit is found while streaming.
    const chunks = async function* () {
      for (let sent = 0; sent <= MAX_FILE_BYTES; sent += 1024 * 1024) {
        yield Buffer.alloc(1024 * 1024, 1);
      }
    };
    const streamed = await t.app.inject({
      method: "POST",
      url: "/api/v1/files?name=scan.tiff",
      headers: { ...t.as("manager1"), "content-type": "image/tiff" },
      payload: Readable.from(chunks()),
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.headers.connection).toBe("close");
    expect(await fileRows()).toBe(before);
    expect((await readdir(filesDir)).filter((f) => f.endsWith(".part"))).toEqual([]);
    expect(await readdir(filesDir)).toHaveLength(before);
  });

  it("requires authentication to upload and to download", async () => {
    const anonymous = await t.app.inject({ method: "POST", url: "/api/v1/files?name=a.txt", payload: "x" });
    expect(anonymous.statusCode).toBe(401);
    const id = (await upload("manager1", contract, "a.pdf")).json<StoredFile>().id;
    expect((await t.app.inject({ url: `/api/v1/files/${id}` })).statusCode).toBe(401);
    const missing = await t.app.inject({
      url: `/api/v1/files/${crypto.randomUUID()}`,
      headers: t.as("manager1"),
    });
    expect(missing.statusCode).toBe(404);
  });

  it("backs a file custom field, which must point at an uploaded file", async () => {
    await buildPipeline(t, { isDefault: true });
    const field = await t.app.inject({
      method: "POST",
      url: "/api/v1/fields",
      headers: t.as("admin"),
      payload: { entity: "deals", key: "contract_scan", label: "Скан договора", type: "file" },
    });
    expect(field.statusCode).toBe(201);
    const file = (await upload("manager1", contract, "Договор.pdf")).json<StoredFile>();
    const deal = await buildDeal(t, "manager1", {
      fields: { contract_scan: { fileId: file.id, name: "Договор.pdf" } },
    });
    expect(deal.fields).toEqual({ contract_scan: { fileId: file.id, name: "Договор.pdf" } });

    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/deals/${deal.id}`,
      headers: t.as("manager1"),
      payload: { fields: { contract_scan: { fileId: crypto.randomUUID(), name: "Подделка.pdf" } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ "body.fields.contract_scan": "no such file" });
    const unchanged = await t.app.inject({ url: `/api/v1/deals/${deal.id}`, headers: t.as("manager1") });
    expect(unchanged.json<Deal>().fields).toEqual(deal.fields);
  });
});
