import type { Lead, TrackingLease } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../test/testApp.ts";
import { callOf, callRow, feed, seedTracking, startCtiApp, unknownNumber } from "./testKit.ts";

const SITE_KEY = "uyut-site-key-0123456789";
const POOL = ["+74957000001", "+74957000002"];
const visit = {
  utmSource: "yandex",
  utmMedium: "cpc",
  utmCampaign: "kitchens_search",
  utmContent: "ad-17",
  utmTerm: "кухня на заказ",
  keyword: "кухня на заказ недорого",
  landingPage: "https://uyut.example/kitchens?utm_source=yandex",
};

describe("dynamic call tracking", () => {
  let t: TestApp;
  let source: { sourceId: string; campaignId: string };

  const lease = (body: object) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/calltracking/lease",
      payload: { siteKey: SITE_KEY, ...body },
    });

  beforeAll(async () => {
    t = await startCtiApp();
    source = await seedTracking(t);
    await t.db.knex("tracking_numbers").insert(POOL.map((phone) => ({ phone, kind: "dynamic" })));
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses every request while no site key is configured, then an unknown key", async () => {
    expect((await lease({ visitorId: "v-0" })).statusCode).toBe(403);
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/cti/settings",
      headers: t.as("admin"),
      payload: { callTrackingKeys: [SITE_KEY], leaseMinutes: 20, createLeadForUnknown: true },
    });
    expect(res.statusCode).toBe(200);
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/calltracking/lease",
      payload: { siteKey: "another-site-key-000", visitorId: "v-0" },
    });
    expect(wrong.statusCode).toBe(403);
    const invalid = await lease({ visitorId: "" });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ error: { fields: object } }>().error.fields).toHaveProperty(["body.visitorId"]);
  });

  it("answers the website's preflight and any origin", async () => {
    const preflight = await t.app.inject({ method: "OPTIONS", url: "/api/v1/calltracking/lease" });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-methods"]).toBe("POST");
    const res = await lease({ visitorId: "v-cors" });
    expect(res.headers["access-control-allow-origin"]).toBe("*");
  });

  it("keeps a visitor's number while the lease lasts and gives others the rest of the pool", async () => {
    await t.db.knex("tracking_leases").delete();
    const first = (await lease({ visitorId: "v-a", ...visit })).json<TrackingLease>();
    expect(POOL).toContain(first.phone);
    const minutes = (Date.parse(first.expiresAt!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(19);
    expect(minutes).toBeLessThanOrEqual(20);

    const again = (await lease({ visitorId: "v-a" })).json<TrackingLease>();
    expect(again.phone).toBe(first.phone);
    expect(Date.parse(again.expiresAt!)).toBeGreaterThanOrEqual(Date.parse(first.expiresAt!));

    const other = (await lease({ visitorId: "v-b" })).json<TrackingLease>();
    expect(other.phone).not.toBe(first.phone);
    expect(POOL).toContain(other.phone);
    expect((await lease({ visitorId: "v-c" })).json<TrackingLease>()).toEqual({
      phone: null,
      expiresAt: null,
    });
  });

  it("carries the visit's UTM marks into the call and its lead", async () => {
    await t.db.knex("tracking_leases").delete();
    const { phone } = (await lease({ visitorId: "v-utm", ...visit })).json<TrackingLease>();
    const number = unknownNumber();
    const call = callOf(undefined, Date.now());
    await feed(t, call.ringing(0, number, { line: phone!, agentExt: "101" }));
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({ source_id: source.sourceId, campaign_id: source.campaignId });
    expect(row.payload.attribution).toEqual({
      sourceId: source.sourceId,
      sourceName: "Яндекс.Директ",
      campaignId: source.campaignId,
      campaignName: "Контекст — кухни",
      utm: { visitorId: "v-utm", ...visit },
    });
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/leads/${row.lead_id}`,
      headers: t.as("admin"),
    });
    expect(res.json<Lead>()).toMatchObject({
      sourceId: source.sourceId,
      campaignId: source.campaignId,
      utmSource: "yandex",
      utmMedium: "cpc",
      utmCampaign: "kitchens_search",
      utmContent: "ad-17",
      utmTerm: "кухня на заказ",
    });
  });

  it("does not attribute a call that comes after the lease ended", async () => {
    await t.db.knex("tracking_leases").delete();
    const { phone } = (await lease({ visitorId: "v-gone", ...visit })).json<TrackingLease>();
    await t.db.knex("tracking_leases").update({ expires_at: t.db.knex.raw("now() - interval '1 minute'") });
    const call = callOf(undefined, Date.now());
    await feed(t, call.ringing(0, unknownNumber(), { line: phone! }));
    const row = await callRow(t, call.callId);
    expect(row.payload.attribution).toMatchObject({ utm: null, sourceId: null });
  });

  it("limits how often one address may ask", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      statuses.push((await lease({ visitorId: `v-flood-${i % 3}` })).statusCode);
    }
    expect(statuses).toContain(429);
  });
});
