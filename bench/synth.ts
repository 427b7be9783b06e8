/**
 * Synth benchmark: for maps of 10 / 100 / 250 / 500 services, how long `app.synth()` takes and what
 * it produces (templates, the largest template by resources and bytes, listener rules per ALB).
 * Each size runs in a fresh Node process so one size's warm-up does not flatter the next.
 *
 *   npx tsx bench/synth.ts            # all sizes
 *   npx tsx bench/synth.ts 500        # one size
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

interface Row {
  services: number;
  synthSeconds: number;
  templates: number;
  maxResources: number;
  maxBytes: number;
  albs: number;
  rulesPerAlb: string;
  routes: number;
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
  app.synth();
  const synthSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  let maxResources = 0;
  let maxBytes = 0;
  let routes = 0;
  const rules = new Map<string, number>();
  const files = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  for (const file of files) {
    const body = readFileSync(join(outdir, file));
    const template = JSON.parse(body.toString());
    const resources = Object.values(template.Resources ?? {}) as Array<{ Type: string; Properties: any }>;
    maxResources = Math.max(maxResources, resources.length);
    maxBytes = Math.max(maxBytes, body.length);
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
    albs: perAlb.length,
    rulesPerAlb: `${Math.min(...perAlb)}..${Math.max(...perAlb)}`,
    routes,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    process.stdout.write(JSON.stringify(measureOne(Number(args[1]))));
    return;
  }
  const sizes = args.length ? args.map(Number) : [10, 100, 250, 500];
  const rows: Array<Row & { processSeconds: number }> = sizes.map((n) => {
    // The whole process too: Node start, loading aws-cdk-lib and the library, as a user's `cdk synth` pays it.
    const started = process.hrtime.bigint();
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--one', String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return { ...(JSON.parse(out) as Row), processSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
  });
  console.log(`Synth, node ${process.version}, ${cpus().length} CPUs; each size in a fresh process\n`);
  const header = ['services', 'synth s', 'process s', 'templates', 'largest: resources', 'largest: KB', 'ALBs', 'rules per ALB', 'routes'];
  const lines = rows.map((r) =>
    [r.services, r.synthSeconds.toFixed(1), r.processSeconds.toFixed(1), r.templates, r.maxResources, (r.maxBytes / 1024).toFixed(0), r.albs, r.rulesPerAlb, r.routes].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  lines.forEach((l) => console.log(fmt(l)));
  const largest = rows.reduce((a, b) => (b.services > a.services ? b : a));
  const withinQuotas = rows.every((r) => r.maxResources <= 500 && r.maxBytes <= 1_000_000);
  console.log(`\ngoal: 500 services in under 60 s on a 2-core machine: ${largest.services >= 500 && largest.processSeconds < 60 ? 'met' : 'NOT met'} (${largest.services} services, ${largest.processSeconds.toFixed(1)} s in all)`);
  console.log(`goal: every template under 500 resources and 1 MB: ${withinQuotas ? 'met' : 'NOT met'}`);
}

main();
