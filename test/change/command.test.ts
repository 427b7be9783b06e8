import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { DIFF_EXIT_CODES, runDiff } from '../../lib/change/command';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { placeServices } from '../../lib/plan/placement';
import { listenerPriorityChanges } from '../../lib/plan/priority-changes';
import { validateServiceMap } from '../../lib/plan';
import { synthAssembly } from '../support/assembly';
import { exampleMap } from '../support/gateway';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runDiff(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function writeMap(map: unknown, name = 'map.json'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'csg-diff-map-')), name);
  writeFileSync(file, typeof map === 'string' ? map : JSON.stringify(map));
  return file;
}

describe('cdk-service-gateway diff: exit codes', () => {
  let deployed: string;
  beforeAll(() => {
    deployed = mkdtempSync(join(tmpdir(), 'csg-diff-out-'));
    synthAssembly(exampleMap(), deployed);
  });

  test('0 when nothing changes (two cloud assemblies)', () => {
    const r = run([deployed, deployed]);
    expect(r.code).toBe(DIFF_EXIT_CODES.safe);
    expect(r.out).toMatch(/No changes\.\n\nResult: safe to deploy \(exit 0\)$/);
  });

  /** The listener-rule priority placement gives each service of a map, and what listenerPriorityChanges says of the move. */
  const placed = (map: ServiceMap) => new Map(placeServices(validateServiceMap(map).map).services.map((s) => [s.name, s.priority]));

  test('0 when a listener-rule priority moves to a free slot (a cloud assembly against a map file), as a note', () => {
    // GIVEN the deployed example, WHEN live-reading is pinned to a priority no rule holds
    const map = exampleMap();
    const taken = new Set(placed(map).values());
    const free = [7, 8, 9, 10, 11].find((p) => !taken.has(p))!;
    const moved: ServiceMap = { ...map, services: { ...map.services, 'live-reading': { ...map.services['live-reading'], priority: free } } };
    // listenerPriorityChanges calls it a move; diff agrees on from and to, and knows the slot is free.
    const [change] = listenerPriorityChanges(placeServices(validateServiceMap(map).map), placeServices(validateServiceMap(moved).map));
    expect(change).toEqual(expect.objectContaining({ kind: 'moved', service: 'live-reading', to: free }));
    const r = run([deployed, writeMap(moved)]);
    expect(r.out).toContain(`  note    priority       service live-reading: listener rule `);
    expect(r.out).toMatch(new RegExp(`moves from priority ${change.from} to ${free} \\(priority ${free} is free on its listener: the rule is updated in place\\)`));
    expect(r.out).toMatch(/^service live-reading:$/m);
    expect(r.out).toMatch(/Result: safe to deploy \(exit 0\)$/);
    expect(r.code).toBe(DIFF_EXIT_CODES.safe);
  });

  test('1 when a priority moves onto, or a new service takes, the slot of a service removed in the same update (map file against map file)', () => {
    const map = exampleMap();
    const { 'student-api': removed, ...rest } = map.services;
    const slot = placed(map).get('student-api')!;
    // live-reading moves onto student-api's slot; a new service takes it instead in the second case.
    const movedOnto: ServiceMap = { ...map, services: { ...rest, 'live-reading': { ...rest['live-reading'], priority: slot } } };
    const takenBy: ServiceMap = { ...map, services: { ...rest, 'new-api': { ...removed, path: '/new-api', priority: slot } } };
    const old = writeMap(map);
    for (const [next, service, kind, line] of [
      [movedOnto, 'live-reading', 'moved', new RegExp(`UNSAFE {2}priority +service live-reading: listener rule livereadingBackendRule\\w+ moves from priority \\d+ to ${slot} \\(an update fails with PriorityInUse: priority ${slot} is held by listener rule studentapi\\w+ of service student-api, deleted only at the end of the update`)],
      [takenBy, 'new-api', 'reused', new RegExp(`UNSAFE {2}priority +service new-api: listener rule newapi\\w+ takes priority ${slot} \\(an update fails with PriorityInUse`)],
    ] as const) {
      // The same verdict as listenerPriorityChanges on the two placements.
      expect(listenerPriorityChanges(placeServices(validateServiceMap(map).map), placeServices(validateServiceMap(next).map))).toEqual([
        expect.objectContaining({ kind, service, to: slot }),
      ]);
      const r = run([old, writeMap(next)]);
      expect(r.out).toMatch(line);
      expect(r.code).toBe(DIFF_EXIT_CODES.unsafe);
    }
  });

  test('a map against a cloud assembly is synthesized like it (environment, feature flags): the same map is no change', () => {
    // GIVEN assemblies of the example map as `cdk synth` makes them in a project: with the feature flags of a
    // cdk.json, environment-agnostic (no credentials); and with a concrete account and Region.
    const map = exampleMap();
    const flags = JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')).context as Record<string, unknown>;
    const assembly = (env: { account?: string; region?: string }, context: Record<string, unknown>) => {
      const outdir = mkdtempSync(join(tmpdir(), 'csg-diff-like-'));
      const app = new App({ analyticsReporting: false, outdir, context });
      new ServiceGateway(new Stack(app, `${map.name}-gateway`, { env }), 'Gateway', { serviceMap: map });
      app.synth();
      return outdir;
    };
    const file = writeMap(map);
    for (const outdir of [assembly({}, flags), assembly({ account: '111122223333', region: 'eu-west-1' }, {})]) {
      // WHEN it is compared with the map it was synthesized from, either way round
      for (const args of [[outdir, file], [file, outdir]]) {
        const r = run(args);
        // THEN nothing changes (not the subnets, ARNs and resources a default environment and flags would give)
        expect({ args, out: r.out.split('\n').slice(2) }).toEqual({ args, out: ['', 'No changes.', '', 'Result: safe to deploy (exit 0)'] });
        expect(r.code).toBe(DIFF_EXIT_CODES.safe);
      }
    }
  });

  test("a map against a project's cdk.out is synthesized with the project's cdk.context.json lookups (beside the cdk.out, or in the current directory)", () => {
    // GIVEN a project whose app looked up the availability zones of its account and Region: cdk.context.json
    // holds them, and cdk.out was synthesized with them (not with the dummy zones a missing lookup gives)
    const map = exampleMap();
    const env = { account: '111122223333', region: 'eu-west-1' };
    const lookups = { [`availability-zones:account=${env.account}:region=${env.region}`]: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] };
    const project = mkdtempSync(join(tmpdir(), 'csg-diff-project-'));
    const outdir = join(project, 'cdk.out');
    const app = new App({ analyticsReporting: false, outdir, context: lookups });
    new ServiceGateway(new Stack(app, `${map.name}-gateway`, { env }), 'Gateway', { serviceMap: map });
    app.synth();
    const file = writeMap(map);
    const elsewhere = mkdtempSync(join(tmpdir(), 'csg-diff-cwd-'));
    const cwd = process.cwd();
    const runIn = (dir: string, args: string[]) => {
      process.chdir(dir);
      try {
        return run(args);
      } finally {
        process.chdir(cwd);
      }
    };
    // Without the lookups the map's subnets land in other zones: the check below can fail.
    const without = runIn(elsewhere, [outdir, file]);
    expect(without.out).toMatch(/replaced  AWS::EC2::Subnet \S+ \(because of AvailabilityZone/);

    // WHEN cdk.context.json is beside the cdk.out (the project directory), from any current directory
    writeFileSync(join(project, 'cdk.context.json'), JSON.stringify(lookups));
    for (const args of [[outdir, file], [file, outdir]]) {
      const r = runIn(elsewhere, args);
      // THEN nothing changes
      expect({ args, out: r.out.split('\n').slice(2) }).toEqual({ args, out: ['', 'No changes.', '', 'Result: safe to deploy (exit 0)'] });
      expect(r.code).toBe(DIFF_EXIT_CODES.safe);
    }

    // WHEN it is in the current directory only (the cdk.out given from elsewhere): the same
    const copied = mkdtempSync(join(tmpdir(), 'csg-diff-copied-'));
    cpSync(outdir, join(copied, 'assembly'), { recursive: true });
    writeFileSync(join(elsewhere, 'cdk.context.json'), JSON.stringify(lookups));
    expect(runIn(elsewhere, [join(copied, 'assembly'), file])).toEqual(expect.objectContaining({ code: DIFF_EXIT_CODES.safe, out: expect.stringContaining('No changes.') }));

    // A context file that is not JSON is bad input, named.
    writeFileSync(join(elsewhere, 'cdk.context.json'), '{ nope');
    const bad = runIn(elsewhere, [join(copied, 'assembly'), file]);
    expect(bad.code).toBe(DIFF_EXIT_CODES.badInput);
    expect(bad.err).toMatch(/cdk\.context\.json \(the project's context, read to synthesize the map like \S+\) is not valid JSON/);
  });

  test("with network.vpcId, the VPC lookup recorded in the project's cdk.context.json gives the map side the real subnets", () => {
    // GIVEN a project whose cdk.out was synthesized with a looked-up VPC (its answer in cdk.context.json)
    const vpcId = 'vpc-0123456789abcdef0';
    const env = { account: '111122223333', region: 'eu-west-1' };
    const subnet = (id: string, az: string, cidr: string) => ({ subnetId: id, availabilityZone: az, routeTableId: id.replace('subnet', 'rtb'), cidr });
    const lookups = {
      [`vpc-provider:account=${env.account}:filter.vpc-id=${vpcId}:region=${env.region}:returnAsymmetricSubnets=true`]: {
        vpcId,
        vpcCidrBlock: '10.10.0.0/16',
        availabilityZones: [],
        subnetGroups: [
          { name: 'Public', type: 'Public', subnets: [subnet('subnet-0aaaaaaaaaaaaaaa1', 'eu-west-1a', '10.10.0.0/24'), subnet('subnet-0aaaaaaaaaaaaaaa2', 'eu-west-1b', '10.10.1.0/24')] },
          { name: 'Private', type: 'Private', subnets: [subnet('subnet-0bbbbbbbbbbbbbbb1', 'eu-west-1a', '10.10.16.0/20'), subnet('subnet-0bbbbbbbbbbbbbbb2', 'eu-west-1b', '10.10.32.0/20')] },
        ],
      },
    };
    const map: ServiceMap = { name: 'shop', network: { vpcId }, services: { web: { path: '/web', container: { image: 'nginx:1.27' } } } };
    const project = mkdtempSync(join(tmpdir(), 'csg-diff-vpc-'));
    const outdir = join(project, 'cdk.out');
    const app = new App({ analyticsReporting: false, outdir, context: lookups });
    new ServiceGateway(new Stack(app, 'shop-gateway', { env }), 'Gateway', { serviceMap: map });
    app.synth();
    const file = writeMap(map);
    // Without the context file the map side gets the lookup's placeholder subnets: the check below can fail.
    const without = run([outdir, file]).out;
    expect(without).not.toContain('No changes.');
    expect(without).toMatch(/changed   AWS::\S+ \S+ \(.*Subnet/);
    // WHEN the project's cdk.context.json is beside its cdk.out THEN the same map is no change
    writeFileSync(join(project, 'cdk.context.json'), JSON.stringify(lookups));
    const r = run([outdir, file]);
    expect(r.out.split('\n').slice(2)).toEqual(['', 'No changes.', '', 'Result: safe to deploy (exit 0)']);
    expect(r.code).toBe(DIFF_EXIT_CODES.safe);
  });

  test('2 on bad input, naming every problem at once', () => {
    const badMap = writeMap({ ...exampleMap(), services: { api: { path: 'no-slash', url: 'https://x.example.com' } } });
    const r = run([join(tmpdir(), 'no-such-map.json'), badMap]);
    expect(r.code).toBe(DIFF_EXIT_CODES.badInput);
    expect(r.err).toMatch(/no-such-map\.json: cannot read it \(ENOENT\)/);
    expect(r.err).toMatch(/map\.json: Invalid service map[\s\S]*services\.api\.path/);
    expect(r.err).not.toMatch(/\n\s+at /);

    expect(run([deployed]).err).toMatch(/^diff takes two arguments, the old and the new gateway \(got 1\)/);
    expect(run([deployed]).code).toBe(2);
    expect(run(['--bogus', deployed, deployed]).code).toBe(2);
    const notAssembly = mkdtempSync(join(tmpdir(), 'csg-empty-'));
    expect(run([notAssembly, deployed])).toEqual(expect.objectContaining({ code: 2, err: expect.stringMatching(/is not a cloud assembly \(no manifest\.json\)/) }));
    // The file is named once, with the line and column of the problem.
    expect(run([writeMap('{ not json'), deployed])).toEqual(expect.objectContaining({ code: 2, err: expect.stringMatching(/^\S*map\.json: it is not valid JSON: .*line 1,? column 3/) }));
  });

  test('the command line dispatches diff (exit code of the process)', async () => {
    const ROOT = join(__dirname, '../..');
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/cli.ts'), 'diff', deployed], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect([code, stderr]).toEqual([2, expect.stringMatching(/^diff takes two arguments/)]);
  });
});

describe('cdk-service-gateway diff: changes to the URL clients call are client-facing (exit 1)', () => {
  // GIVEN the example map on each front door, with API keys (REST), a custom domain, another stage name, ...
  const base = exampleMap();
  // Rate limits per user need the HTTP front door; per address works on both.
  base.firewall = { ...base.firewall, rateLimits: base.firewall!.rateLimits!.filter((r) => r.key !== 'user') };
  const domain = (name: string) => ({ name, certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' });
  const rest: ServiceMap = { ...base, frontDoor: 'rest', usagePlans: { free: { rateLimit: 5, burstLimit: 10 } }, apiKeys: { app: { plan: 'free' }, mobile: { plan: 'free' } } };
  const maps: Record<string, ServiceMap> = {
    http: base,
    rest,
    restV1: { ...rest, rest: { stageName: 'v1' } },
    restOneKey: { ...rest, apiKeys: { app: { plan: 'free' } } },
    restDomain: { ...rest, domain: domain('api.example.com') },
    restDomainV1: { ...rest, domain: domain('api.example.com'), rest: { stageName: 'v1' } },
    restDomain2: { ...rest, domain: domain('api2.example.com') },
    httpDomain: { ...base, domain: domain('api.example.com') },
    httpMoved: { ...base, services: { ...base.services, 'live-reading': { ...base.services['live-reading'], path: '/reading' } } },
  };
  const dirs: Record<string, string> = {};
  beforeAll(() => {
    for (const [k, m] of Object.entries(maps)) {
      dirs[k] = mkdtempSync(join(tmpdir(), `csg-diff-${k}-`));
      synthAssembly(m, dirs[k]);
    }
  });
  const diff = (from: string, to: string) => run([dirs[from], dirs[to]]);
  const clientLines = (out: string) => out.split('\n').filter((l) => /^ {2}(UNSAFE|note) {2}(client-facing|cannot-replace)/.test(l));
  const execute = (api: string, path: string, fresh = false) => `https://<id of ${fresh ? 'the new ' : ''}${api} \\w+>\\.execute-api\\.<region>\\.amazonaws\\.com/${path}`;

  test.each([
    ['http', 'rest', [`clients calling ${execute('HTTP API', '')} must move: the front door is a new API \\(HTTP API \\w+ -> REST API \\w+\\) with a new execute-api id; it answers at ${execute('REST API', 'prod/', true)}$`]],
    [
      'rest',
      'http',
      [
        'AWS::ApiGateway::ApiKey \\w+ \\("school-app"\\) is removed: its callers lose access$',
        'AWS::ApiGateway::ApiKey \\w+ \\("school-mobile"\\) is removed: its callers lose access$',
        `clients calling ${execute('REST API', 'prod/')} must move: the front door is a new API \\(REST API \\w+ -> HTTP API \\w+\\) with a new execute-api id; it answers at ${execute('HTTP API', '', true)}$`,
      ],
    ],
    ['restDomain', 'rest', [`clients calling https://api\\.example\\.com/ must move: the custom domain api\\.example\\.com is removed; it answers at ${execute('REST API', 'prod/')}$`]],
    ['rest', 'restDomain', [`clients calling ${execute('REST API', 'prod/')} must move: the API turns its execute-api endpoint off \\(with a custom domain, clients call the domain only\\); it answers at https://api\\.example\\.com/$`]],
    ['http', 'httpDomain', [`clients calling ${execute('HTTP API', '')} must move: the API turns its execute-api endpoint off \\(with a custom domain, clients call the domain only\\); it answers at https://api\\.example\\.com/$`]],
    ['restDomain', 'restDomain2', ['clients calling https://api\\.example\\.com/ must move: the custom domain is renamed api\\.example\\.com -> api2\\.example\\.com; it answers at https://api2\\.example\\.com/$']],
    ['rest', 'restV1', [`clients calling ${execute('REST API', 'prod/')} must move: the stage is renamed prod -> v1; it answers at ${execute('REST API', 'v1/')}$`]],
    // A service's path: read from the map each template records.
    ['http', 'httpMoved', ["service live-reading: the service's path changes /live-reading -> /reading: clients calling /live-reading/\\.\\.\\. must move to /reading/\\.\\.\\.$"]],
    ['rest', 'restOneKey', ['AWS::ApiGateway::ApiKey \\w+ \\("school-mobile"\\) is removed: its callers lose access$']],
    // The same domain on the other front door: the URL stays, but the domain name cannot be created twice.
    ['httpDomain', 'restDomain', ['cannot-replace gateway: custom domain api\\.example\\.com moves from AWS::ApiGatewayV2::DomainName \\w+ to AWS::ApiGateway::DomainName \\w+: REST and HTTP APIs share one Regional domain name']],
  ])('%s -> %s', (from, to, expected) => {
    // WHEN the deployed gateway is diffed against the changed one
    const r = diff(from, to);
    // THEN each client-facing change is an UNSAFE line naming the old and the new URL, and the exit code is 1
    const lines = clientLines(r.out);
    expect({ lines, n: lines.length }).toEqual({ lines: expected.map((e) => expect.stringMatching(new RegExp(`^ {2}UNSAFE {2}.*${e}`))), n: expected.length });
    expect(r.code).toBe(DIFF_EXIT_CODES.unsafe);
  });

  test('a REST stage renamed behind a custom domain, or an API key added, changes no URL and no access', () => {
    expect(clientLines(diff('restDomain', 'restDomainV1').out)).toEqual([]);
    expect(clientLines(diff('restOneKey', 'rest').out)).toEqual([]);
    // The same gateway both sides: nothing at all.
    expect(diff('restDomain', 'restDomain')).toEqual(expect.objectContaining({ code: DIFF_EXIT_CODES.safe, out: expect.stringContaining('No changes.') }));
  });
});
