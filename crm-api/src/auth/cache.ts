import type { Principal } from "./principal.ts";

const TTL_MS = 10_000;
const MAX_ENTRIES = 20_000;

/**
 * Principals by token hash for a few seconds, so the hot path (caller lookup) costs one query, not two.
 * Logout and user changes evict locally and, through NOTIFY, on every other instance; the TTL bounds how
 * long a change made behind our back (a manual SQL update) can go unseen.
 */
export class PrincipalCache {
  private entries = new Map<string, { principal: Principal; expires: number }>();

  get(tokenHash: string): Principal | undefined {
    const hit = this.entries.get(tokenHash);
    if (!hit) {
      return undefined;
    }
    if (hit.expires < Date.now()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return hit.principal;
  }

  set(tokenHash: string, principal: Principal): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(tokenHash, { principal, expires: Date.now() + TTL_MS });
  }

  evictToken(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  evictUser(userId: string): void {
    for (const [key, { principal }] of this.entries) {
      if (principal.userId === userId) {
        this.entries.delete(key);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
