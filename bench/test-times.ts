/**
 * Test-suite time per test file, from jest's own `--json` report: which files the suite's time goes to,
 * so that a slow file shows up when it lands. The goal is the whole suite within 120 s on an idle 2-core
 * machine (numbers on a busy machine are inflated; the load average is printed with them).
 *
 *   npx tsx bench/test-times.ts                      # runs jest (every test file) and prints the table
 *   npx tsx bench/test-times.ts test/verify          # runs only the given paths
 *   npx tsx bench/test-times.ts --from report.json   # the table of a report written by `jest --json --outputFile`
 *
 * It runs jest as `npm test` does after the build (`dist/` must exist: `npm run build` first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const GOAL_SECONDS = 120;
const root = join(__dirname, '..');

interface JestReport {
  readonly startTime: number;
  readonly numTotalTests: number;
  readonly numFailedTests: number;
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly status: string;
    readonly assertionResults: readonly unknown[];
  }>;
}

function runJest(paths: string[]): { report: JestReport; wallSeconds: number } {
  const out = join(mkdtempSync(join(tmpdir(), 'csg-test-times-')), 'report.json');
  const started = Date.now();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${out}`, ...paths], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    // Failing tests still write the report; the table says how many failed.
  }
  return { report: JSON.parse(readFileSync(out, 'utf8')) as JestReport, wallSeconds: (Date.now() - started) / 1000 };
}

function main(): void {
  const args = process.argv.slice(2);
  const from = args.indexOf('--from');
  const load = loadavg()[0];
  const { report, wallSeconds } = from >= 0 ? { report: JSON.parse(readFileSync(args[from + 1], 'utf8')) as JestReport, wallSeconds: undefined } : runJest(args);
  const rows = report.testResults
    .map((r) => ({ file: relative(root, r.name), tests: r.assertionResults.length, seconds: (r.endTime - r.startTime) / 1000, status: r.status }))
    .sort((a, b) => b.seconds - a.seconds);
  const sum = rows.reduce((n, r) => n + r.seconds, 0);
  const width = Math.max(...rows.map((r) => r.file.length), 'TEST FILE'.length);
  console.log(`${'TEST FILE'.padEnd(width)}  TESTS  SECONDS  SHARE`);
  for (const r of rows) {
    console.log(`${r.file.padEnd(width)}  ${String(r.tests).padStart(5)}  ${r.seconds.toFixed(1).padStart(7)}  ${`${((100 * r.seconds) / sum).toFixed(1)}%`.padStart(5)}${r.status === 'passed' ? '' : `  ${r.status}`}`);
  }
  console.log('');
  console.log(`${rows.length} files, ${report.numTotalTests} tests (${report.numFailedTests} failed); file times add up to ${sum.toFixed(1)} s on ${cpus().length} cores`);
  if (wallSeconds !== undefined) {
    console.log(`jest wall time ${wallSeconds.toFixed(1)} s (goal <= ${GOAL_SECONDS} s on an idle machine); 1-minute load average when it started: ${load.toFixed(2)}${load > 1 ? ' (busy: times are inflated)' : ''}`);
  }
}

main();
