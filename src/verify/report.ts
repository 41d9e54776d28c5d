/**
 * The report of `cdk8s-expose verify`: a table for people, JSON for pipelines, and the exit status.
 */
import { Verdict, VerifyResult } from './verify';

/** Counts of a run. */
export interface VerifySummary {
  readonly passed: number;
  readonly failed: number;
  readonly notProbed: number;
}

/** Exit status: every probed point reachable (and every negative check silent). */
export const EXIT_OK = 0;
/** Exit status: at least one probe failed. */
export const EXIT_FAILED = 1;
/** Exit status: bad input, unreachable cluster, missing permissions, bad usage. */
export const EXIT_ERROR = 2;

export function summarize(results: VerifyResult[]): VerifySummary {
  return {
    passed: results.filter((r) => r.verdict === Verdict.PASSED).length,
    failed: results.filter((r) => r.verdict === Verdict.FAILED).length,
    notProbed: results.filter((r) => r.verdict === Verdict.NOT_PROBED).length,
  };
}

/** 0 only when nothing failed (points that were not probed never count as passed, nor as failed). */
export function exitStatus(results: VerifyResult[]): number {
  return summarize(results).failed === 0 ? EXIT_OK : EXIT_FAILED;
}

/** One line of counts. */
export function summaryLine(results: VerifyResult[]): string {
  const s = summarize(results);
  return `${s.passed} passed, ${s.failed} failed, ${s.notProbed} not probed`;
}

/** The table: access point, address probed, result, time, reason (and notes below each row). */
export function renderTable(results: VerifyResult[]): string {
  const header = ['ACCESS POINT', 'PROBED', 'RESULT', 'TIME', 'REASON'];
  const rows = results.map((r) => [
    `${r.app} ${r.point}`,
    r.probed,
    `${r.negative ? 'negative: ' : ''}${r.verdict === Verdict.FAILED ? 'FAILED' : r.verdict}`,
    r.verdict === Verdict.NOT_PROBED ? '-' : `${(r.ms / 1000).toFixed(1)}s`,
    r.reason,
  ]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => row[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(header)];
  results.forEach((r, i) => {
    out.push(line(rows[i]));
    for (const n of r.notes) out.push(`    note: ${n}`);
  });
  out.push('', summaryLine(results));
  return `${out.join('\n')}\n`;
}

/** The JSON report. */
export function renderJson(results: VerifyResult[]): string {
  return `${JSON.stringify({ summary: summarize(results), results }, undefined, 2)}\n`;
}
