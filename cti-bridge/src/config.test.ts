import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("bridge configuration", () => {
  it("runs with no PBX by default and enables each one by its variables", () => {
    expect(loadConfig({})).toMatchObject({
      crmApiUrl: "http://127.0.0.1:8080",
      spoolDir: "data/spool",
      asterisk: null,
      mango: null,
      genesys: null,
    });
    const config = loadConfig({
      AMI_URL: "ami://okno:secret@10.0.0.5:5038",
      MANGO_API_KEY: "key",
      MANGO_API_SALT: "salt",
      DATA_DIR: "/var/lib/okno",
    });
    expect(config.asterisk).toMatchObject({ amiUrl: "ami://okno:secret@10.0.0.5:5038", ariApp: "okno" });
    expect(config.mango).toEqual({
      apiKey: "key",
      apiSalt: "salt",
      apiUrl: "https://app.mango-office.ru/vpbx/",
    });
    expect(config.spoolDir).toBe("/var/lib/okno/spool");
  });

  it("names every bad or half-given variable at once", () => {
    expect(() =>
      loadConfig({
        AMI_URL: "tcp://10.0.0.5",
        CTI_TOKEN: "short",
        MANGO_API_KEY: "key",
        GENESYS_REGION: "mypurecloud.de",
      }),
    ).toThrow(/CTI_TOKEN[\s\S]*AMI_URL[\s\S]*MANGO_API_SALT[\s\S]*GENESYS_CLIENT_ID/);
    expect(() => loadConfig({ MANGO_API_KEY: "key", GENESYS_REGION: "mypurecloud.de" })).toThrow(
      /MANGO_API_SALT: required[\s\S]*GENESYS_CLIENT_ID: required[\s\S]*GENESYS_CLIENT_SECRET: required/,
    );
  });

  it("reads which Genesys users and queues to follow, and refuses Genesys without them", () => {
    const base = {
      GENESYS_REGION: "mypurecloud.de",
      GENESYS_CLIENT_ID: "id",
      GENESYS_CLIENT_SECRET: "secret",
    };
    const config = loadConfig({
      ...base,
      GENESYS_USERS: "u-1:101,u-2:102",
      GENESYS_QUEUES: "q-1:Продажи,q-2",
    });
    expect(config.genesys).toMatchObject({
      users: [
        { id: "u-1", ext: "101" },
        { id: "u-2", ext: "102" },
      ],
      queues: [{ id: "q-1", name: "Продажи" }, { id: "q-2" }],
    });
    expect(() => loadConfig(base)).toThrow(/GENESYS_USERS or GENESYS_QUEUES/);
    expect(() => loadConfig({ ...base, GENESYS_USERS: "u-1" })).toThrow(/GENESYS_USERS: must be/);
  });
});
