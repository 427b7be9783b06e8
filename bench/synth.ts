/**
 * Synth benchmark: for maps of 10 / 100 / 250 / 500 services, how long `app.synth()` takes and what
 * it produces (templates, the largest template by resources and bytes, listener rules per ALB), and
 * each size's root template and largest nested template against CloudFormation's 1,000,000-byte
 * template body quota, with whether synth failed on it (`TemplateSizeCheck`, whose message is caught
 * and printed, not thrown). A second table breaks the root template down, so that what grows with
 * the service count shows. Each size runs in a fresh Node process so one size's warm-up does not
 * flatter the next.
 *
 *   npx tsx bench/synth.ts                  # 10, 100, 250, 500 services
 *   npx tsx bench/synth.ts 750 1000 1250    # the sizes given (over 500 services, minutes each on 2 cores)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

/** CloudFormation's template body quota, as TemplateSizeCheck enforces it. */
const TEMPLATE_BYTES = 1_000_000;

interface Row {
  services: number;
  synthSeconds: number;
  templates: number;
  maxResources: number;
  maxBytes: number;
  rootBytes: number;
  maxNestedBytes: number;
  albs: number;
  rulesPerAlb: string;
  routes: number;
  /** TemplateSizeCheck's verdict: the lines of synth's error that name a template over the quota. */
  sizeCheck: string[];
  /** Any other synth error, which the table shows rather than crashing. */
  otherError?: string;
  /** The root template: bytes per top-level section, and per resource type within Resources. */
  rootParts: Record<string, number>;
  rootParameters: number;
  rootOutputs: number;
}

function measureOne(count: number): Row {
  // Loaded here, not at the top, so the parent process stays light.
  const { App, Stack } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { ServiceGateway } = require('../lib/service-gateway') as typeof import('../lib/service-gateway');
  const { generatedMap } = require('../test/support/generated-map') as typeof import('../test/support/generated-map');
  const outdir = mkdtempSync(join(tmpdir(), 'csg-bench-'));
  const started = process.hrtime.bigint();
  const app = new App({ analyticsReporting: false, outdir });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ServiceGateway(stack, 'Gateway', { serviceMap: generatedMap(count) });
  // The templates are written before CDK runs the validation plugins, so a failed check still leaves them to measure.
  let sizeCheck: string[] = [];
  let otherError: string | undefined;
  try {
    app.synth();
  } catch (e) {
    sizeCheck = templateSizeViolations(outdir);
    if (sizeCheck.length === 0) otherError = (e instanceof Error ? e.message : String(e)).trim();
  }
  const synthSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  let maxResources = 0;
  let maxBytes = 0;
  let rootBytes = 0;
  let maxNestedBytes = 0;
  let routes = 0;
  const rootParts: Record<string, number> = {};
  let rootParameters = 0;
  let rootOutputs = 0;
  const rules = new Map<string, number>();
  const files = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  for (const file of files) {
    const body = readFileSync(join(outdir, file));
    const template = JSON.parse(body.toString());
    const resources = Object.values(template.Resources ?? {}) as Array<{ Type: string; Properties: any }>;
    maxResources = Math.max(maxResources, resources.length);
    maxBytes = Math.max(maxBytes, body.length);
    if (file === 'Bench.template.json') {
      rootBytes = body.length;
      rootParameters = Object.keys(template.Parameters ?? {}).length;
      rootOutputs = Object.keys(template.Outputs ?? {}).length;
      // Bytes as CDK writes them (JSON with one-space indent): each section, and Resources by type.
      for (const [section, value] of Object.entries(template)) {
        if (section !== 'Resources') rootParts[section] = JSON.stringify(value, undefined, 1).length;
      }
      for (const [id, resource] of Object.entries(template.Resources ?? {}) as Array<[string, { Type: string }]>) {
        const key = `Resources: ${resource.Type}`;
        rootParts[key] = (rootParts[key] ?? 0) + JSON.stringify({ [id]: resource }, undefined, 1).length;
      }
    } else {
      maxNestedBytes = Math.max(maxNestedBytes, body.length);
    }
    for (const r of resources) {
      if (r.Type === 'AWS::ApiGatewayV2::Route') routes++;
      if (r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule') {
        const listener = JSON.stringify(r.Properties.ListenerArn);
        rules.set(listener, (rules.get(listener) ?? 0) + 1);
      }
    }
  }
  rmSync(outdir, { recursive: true, force: true });
  const perAlb = [...rules.values()].sort((a, b) => b - a);
  return {
    services: count,
    synthSeconds,
    templates: files.length,
    maxResources,
    maxBytes,
    rootBytes,
    maxNestedBytes,
    albs: perAlb.length,
    rulesPerAlb: `${Math.min(...perAlb)}..${Math.max(...perAlb)}`,
    routes,
    sizeCheck,
    otherError,
    rootParts,
    rootParameters,
    rootOutputs,
  };
}

/**
 * TemplateSizeCheck's messages from the validation report CDK writes into the assembly. (Outside jest, the
 * error `app.synth()` throws only points at that file; `cdk synth` prints the report on stderr.)
 */
function templateSizeViolations(outdir: string): string[] {
  const { TemplateSizeCheck } = require('../lib/template-size-check') as typeof import('../lib/template-size-check');
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as { pluginReports?: Array<{ pluginName: string; violations?: Array<{ description: string }> }> };
  const pluginName = new TemplateSizeCheck().name;
  return (report.pluginReports ?? []).filter((r) => r.pluginName === pluginName).flatMap((r) => (r.violations ?? []).map((v) => v.description));
}

function table(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  lines.forEach((l) => console.log(fmt(l)));
}

const percentOfQuota = (bytes: number) => `${bytes} (${((bytes / TEMPLATE_BYTES) * 100).toFixed(0)} %)`;

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    // The result goes to a file: synth may print to stdout, and a failed synth must still report.
    writeFileSync(args[2], JSON.stringify(measureOne(Number(args[1]))));
    return;
  }
  const sizes = args.length ? args.map(Number) : [10, 100, 250, 500];
  const bad = args.filter((a) => !/^[1-9]\d*$/.test(a));
  if (bad.length) {
    console.error(`bench/synth.ts: sizes are service counts (whole numbers from 1), not ${bad.map((a) => JSON.stringify(a)).join(', ')}`);
    process.exit(2);
  }
  const resultDir = mkdtempSync(join(tmpdir(), 'csg-bench-result-'));
  const rows: Array<Row & { processSeconds: number }> = sizes.map((n) => {
    // The whole process too: Node start, loading aws-cdk-lib and the library, as a user's `cdk synth` pays it.
    const result = join(resultDir, `${n}.json`);
    const started = process.hrtime.bigint();
    // CDK prints the validation report on stderr too: shown only when the child itself fails.
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', String(n), result], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
    if (child.status !== 0) {
      process.stderr.write(child.stderr ?? '');
      throw new Error(`bench/synth.ts: the ${n}-service process failed (${child.error?.message ?? `exit ${child.status ?? child.signal}`})`);
    }
    return { ...(JSON.parse(readFileSync(result, 'utf8')) as Row), processSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
  });
  rmSync(resultDir, { recursive: true, force: true });

  console.log(`Synth, node ${process.version}, ${cpus().length} CPUs; each size in a fresh process\n`);
  table(
    ['services', 'synth s', 'process s', 'templates', 'largest: resources', 'largest: KB', 'ALBs', 'rules per ALB', 'routes'],
    rows.map((r) =>
      r.templates === 0
        ? [String(r.services), r.synthSeconds.toFixed(1), r.processSeconds.toFixed(1), '0', '-', '-', '-', '-', '-']
        : [r.services, r.synthSeconds.toFixed(1), r.processSeconds.toFixed(1), r.templates, r.maxResources, (r.maxBytes / 1024).toFixed(0), r.albs, r.rulesPerAlb, r.routes].map(String),
    ),
  );

  console.log(`\nTemplate body quota: ${TEMPLATE_BYTES} bytes per template (CloudFormation, hard)\n`);
  table(
    ['services', 'root template bytes', 'largest nested bytes', 'synth'],
    rows.map((r) => [
      String(r.services),
      r.templates ? percentOfQuota(r.rootBytes) : '-',
      r.templates ? percentOfQuota(r.maxNestedBytes) : '-',
      r.sizeCheck.length ? 'failed: TemplateSizeCheck' : r.otherError ? 'failed: other error (below)' : 'ok',
    ]),
  );
  for (const r of rows) for (const line of r.sizeCheck) console.log(`  ${r.services}: ${line}`);
  for (const r of rows) if (r.otherError) console.log(`  ${r.services}: ${r.otherError.split('\n').join('\n    ')}`);

  // What the root template is made of, largest parts first (by the largest size that wrote templates).
  const measured = rows.filter((r) => r.templates > 0);
  if (measured.length > 0) printRootParts(rows, measured.reduce((a, b) => (b.services > a.services ? b : a)));

  // The goals are about 500 services (the README's promise); larger sizes are there to find where the quotas are crossed.
  const at500 = rows.find((r) => r.services === 500);
  if (at500) {
    console.log(`\ngoal: 500 services in under 60 s on a 2-core machine: ${at500.processSeconds < 60 ? 'met' : 'NOT met'} (${at500.processSeconds.toFixed(1)} s in all)`);
    console.log(`goal: 500 services with every template under 500 resources and 1 MB: ${at500.maxResources <= 500 && at500.maxBytes <= TEMPLATE_BYTES ? 'met' : 'NOT met'}`);
  }
}

function printRootParts(rows: Row[], largest: Row): void {
  const parts = Object.keys(largest.rootParts).sort((a, b) => largest.rootParts[b] - largest.rootParts[a]);
  const shown = parts.slice(0, 8);
  const rest = (r: Row) => parts.slice(8).reduce((sum, p) => sum + (r.rootParts[p] ?? 0), 0);
  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  console.log('\nRoot template by part, KB, largest first (and the counts of parameters and outputs, each quota 200)\n');
  table(
    ['part', ...rows.map((r) => `${r.services} services`)],
    [
      ...shown.map((p) => [p, ...rows.map((r) => (r.templates ? kb(r.rootParts[p] ?? 0) : '-'))]),
      [`the other ${parts.length - shown.length} parts`, ...rows.map((r) => (r.templates ? kb(rest(r)) : '-'))],
      ['Parameters (count)', ...rows.map((r) => (r.templates ? String(r.rootParameters) : '-'))],
      ['Outputs (count)', ...rows.map((r) => (r.templates ? String(r.rootOutputs) : '-'))],
    ],
  );
}

main();
