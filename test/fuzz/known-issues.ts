/**
 * Library bugs the fuzzer found that are not fixed yet. Cases that would hit one are left out of
 * the generated cases (so that the property keeps guarding everything else), and
 * test/fuzz.test.ts pins each with a `test.failing` regression: when the bug is fixed that test
 * starts to fail, and the entry here must be deleted.
 *
 * None is open: the last two (two host-level apps, or two IngressRoutes, with one explicit name
 * in one namespace) are refused since every pattern claims its objects' kind/namespace/name
 * App-wide (`claimObjectName` in src/core/claims.ts).
 */
import { Entry } from './framework';

export interface KnownIssue {
  /** What goes wrong, and where the fix belongs. */
  readonly description: string;
  /** True for a case that would hit the issue. */
  matches(entries: readonly Entry[]): boolean;
}

export const KNOWN_ISSUES: KnownIssue[] = [];
