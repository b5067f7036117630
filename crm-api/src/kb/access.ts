import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { forbidden } from "../errors.ts";

/** Administrators and supervisors write the knowledge base and call scripts, and read every article. */
export function canEditKb(p: Principal): boolean {
  return p.permissions.canAdminister || p.role === "supervisor";
}

export function requireKbEditor(p: Principal): Principal {
  if (!canEditKb(p)) {
    throw forbidden("only administrators and supervisors edit the knowledge base and scripts");
  }
  return p;
}

/** Limits an article query (alias `a`) to what the user may read: published, and meant for their role. */
export function whereReadable<Q extends Knex.QueryBuilder>(query: Q, p: Principal): Q {
  if (canEditKb(p)) {
    return query;
  }
  return query
    .where("a.is_published", true)
    .whereRaw("(cardinality(a.roles) = 0 or ? = any(a.roles))", [p.role]) as Q;
}
