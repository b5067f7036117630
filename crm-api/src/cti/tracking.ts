import type { TrackingLease, TrackingLeaseRequest } from "@okno/contracts";
import type { Knex } from "knex";
import { forbidden } from "../errors.ts";
import { lockKeys } from "./repo.ts";
import { readCtiSettings } from "./settings.ts";
import { isSameSecret } from "./token.ts";

const NONE: TrackingLease = { phone: null, expiresAt: null };

/**
 * Dynamic call tracking: a website visitor gets a number of the pool to call, held for `leaseMinutes`
 * after their last request, so a call to it during the lease is attributed to their visit's UTM marks.
 * The same visitor keeps their number (the lease is renewed, first-touch marks kept); a new visitor
 * gets the number free the longest. An exhausted pool answers `phone: null`.
 */
export async function leaseTrackingNumber(db: Knex, req: TrackingLeaseRequest): Promise<TrackingLease> {
  const settings = await readCtiSettings(db);
  if (!settings.callTrackingKeys.some((key) => isSameSecret(req.siteKey, key))) {
    throw forbidden("unknown site key");
  }
  const minutes = settings.leaseMinutes;
  return db.transaction(async (trx) => {
    // One visitor asking twice at once must not take two numbers.
    await lockKeys(trx, [`visitor:${req.visitorId}`]);
    const renewed = await renewLease(trx, req.visitorId, minutes);
    if (renewed) {
      return renewed;
    }
    const free = await trx.raw<{ rows: { id: string; phone: string }[] }>(
      `select t.id, t.phone from tracking_numbers t
        where t.kind = 'dynamic'
          and not exists (select 1 from tracking_leases l where l.tracking_number_id = t.id and l.expires_at > now())
        order by (select max(l.expires_at) from tracking_leases l where l.tracking_number_id = t.id) asc nulls first, t.phone
        limit 1 for update of t skip locked`,
    );
    const number = free.rows[0];
    if (!number) {
      return NONE;
    }
    const [lease] = await trx("tracking_leases")
      .insert({
        tracking_number_id: number.id,
        visitor_id: req.visitorId,
        utm_source: req.utmSource ?? null,
        utm_medium: req.utmMedium ?? null,
        utm_campaign: req.utmCampaign ?? null,
        utm_content: req.utmContent ?? null,
        utm_term: req.utmTerm ?? null,
        keyword: req.keyword ?? null,
        landing_page: req.landingPage ?? null,
        expires_at: trx.raw("now() + make_interval(mins => ?)", [minutes]),
      })
      .returning<{ expires_at: Date }[]>("expires_at");
    return { phone: number.phone, expiresAt: new Date(lease!.expires_at).toISOString() };
  });
}

async function renewLease(
  trx: Knex.Transaction,
  visitorId: string,
  minutes: number,
): Promise<TrackingLease | null> {
  const result = await trx.raw<{ rows: { phone: string; expires_at: Date }[] }>(
    `update tracking_leases l set expires_at = now() + make_interval(mins => ?)
       from tracking_numbers t
      where l.id = (select l2.id from tracking_leases l2 join tracking_numbers t2 on t2.id = l2.tracking_number_id
                     where l2.visitor_id = ? and l2.expires_at > now() and t2.kind = 'dynamic'
                     order by l2.expires_at desc limit 1)
        and t.id = l.tracking_number_id
      returning t.phone, l.expires_at`,
    [minutes, visitorId],
  );
  const row = result.rows[0];
  return row ? { phone: row.phone, expiresAt: new Date(row.expires_at).toISOString() } : null;
}

/** Lease history kept for reports (visits → calls); older rows go. */
export async function deleteOldLeases(db: Knex, days: number): Promise<number> {
  return db("tracking_leases")
    .where("expires_at", "<", db.raw("now() - make_interval(days => ?)", [days]))
    .delete();
}
