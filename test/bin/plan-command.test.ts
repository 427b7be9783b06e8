import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../bin/plan-command';
import { everyFeatureRest } from '../support/every-feature';
import { EXAMPLE_MAP_FILE } from '../support/gateway';

function run(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runPlan(args, { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(...l.split('\n')) });
  return { code, out, err };
}

function mapFile(map: unknown, name = 'map.json'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'csg-plan-')), name);
  writeFileSync(file, JSON.stringify(map));
  return file;
}

/** The row of a table that starts with `first`, split on the column gaps. */
function row(lines: string[], first: string): string[] {
  const line = lines.find((l) => l.startsWith(`${first} `));
  if (!line) throw new Error(`no row ${first} in:\n${lines.join('\n')}`);
  return line.split(/ {2,}/);
}

describe('cdk-service-gateway plan', () => {
  test('the route table: route, auth, scopes, throttle, service, integration, backend path, ALB / priority / target group, stack', () => {
    const { code, out, err } = run([EXAMPLE_MAP_FILE]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toBe('Gateway "school": HTTP front door, stage $default, 3 services, 1 internal ALB, stage throttle 1000/s burst 2000');
    const students = row(out, 'ANY /students/{proxy+}');
    expect(students.slice(0, 7)).toEqual(['ANY /students/{proxy+}', 'jwt (CUSTOM)', 'students:read', 'stage', 'student-api', 'VPC link -> ALB 0, 29000 ms', '/$request.path.proxy']);
    expect(students[7]).toMatch(/^ALB 0 \/ \d+ \/ school-student-api-[0-9a-z]{7}$/);
    expect(students[8]).toMatch(/^ServiceGroup\d\d$/);
    expect(row(out, 'ANY /live-reading').slice(3, 4)).toEqual(['100/s burst 200']);
    expect(row(out, 'ANY /payment').slice(5, 8)).toEqual(['internet -> https://payment.example.com, 10000 ms', '$request.path', '-']);
  });

  test('the firewall rules in evaluation order with their WCU and a total; quotas against limits; the warnings', () => {
    const { out } = run([EXAMPLE_MAP_FILE]);
    const rules = out.slice(out.indexOf('PRIORITY  RULE                                  ACTION   APPLIES TO            WCU') + 1, out.findIndex((l) => l.trim().startsWith('total')));
    expect(rules.map((l) => l.split(/ {2,}/))).toEqual([
      ['0', 'per-ip', 'block', 'every request', '2'],
      ['1', 'per-user', 'block', 'every request', '32'],
      ['2', 'svc-live-reading-ip-500-per-60s', 'block', 'service live-reading', '6'],
      ['3', 'AWSManagedRulesCommonRuleSet', 'managed', 'every request', '700'],
      ['4', 'AWSManagedRulesKnownBadInputsRuleSet', 'managed', 'every request', '200'],
    ]);
    expect(out.find((l) => l.trim().startsWith('total'))!.trim().split(/ {2,}/)).toEqual(['total', '940 (1500 included in the base price, 5000 max)']);
    // The example sets cors: each service has its two ANY routes and two preflight OPTIONS routes.
    expect(row(out, 'Routes per API')).toEqual(['Routes per API', 'HTTP API', '12', '300', 'adjustable', '4%']);
    expect(row(out, 'OPTIONS /payment').slice(0, 3)).toEqual(['OPTIONS /payment', 'none', '-']);
    expect(row(out, 'Maximum web ACL capacity units')).toEqual(['Maximum web ACL capacity units', 'web ACL', '940', '5000', 'hard', '19%']);
    expect(out).toContain('Warnings (1)');
    expect(out[out.length - 1]).toMatch(/^- firewall: on the HTTP front door the web ACL sits on the internal ALB/);
  });

  test('REST: methods with API keys, cached GETs and the backend URI; the REST API resources quota', () => {
    const { code, out } = run([mapFile(everyFeatureRest, 'map.yaml')]);
    expect(code).toBe(0);
    expect(row(out, 'GET /v2/orders').slice(0, 7)).toEqual(['GET /v2/orders', 'jwt (CUSTOM)', 'orders:read', '1000/s burst 2000', 'orders', expect.stringMatching(/^VPC link -> ALB \d, 29000 ms, cached 30 s$/), 'http://(ALB)/v2/orders']);
    expect(row(out, 'ANY /v2/users').slice(1, 4)).toEqual(['API key', '-', 'stage']);
    // stripPrefix on REST: the integration sends the full path, the service's listener rule removes the prefix.
    expect(row(out, 'ANY /v2/users').slice(6, 7)).toEqual(['http://(ALB)/v2/users (the ALB rewrites it to /)']);
    expect(row(out, 'ANY /v2/users/{proxy+}').slice(6, 7)).toEqual(['http://(ALB)/v2/users/{proxy} (the ALB rewrites it to /{proxy})']);
    expect(row(out, 'Resources per API').slice(1, 4)).toEqual(['REST API', '7', '300']);
  });

  test('--json: the plan for machines, with problems and warnings', () => {
    const { code, out } = run([EXAMPLE_MAP_FILE, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n'));
    expect(json.problems).toEqual([]);
    expect(json.plan.services.map((s: { name: string }) => s.name)).toEqual(['live-reading', 'payment', 'student-api']);
    expect(json.plan.services[0].routes[0]).toMatchObject({ key: 'ANY /live-reading', authorizationType: 'CUSTOM', throttle: { rateLimit: 100, burstLimit: 200 } });
    expect(json.plan.firewall.capacity.wcu).toBe(940);
    expect(json.plan.map).toBeUndefined();
  });

  test('--json says which warnings the map acknowledges, with its reason, at the top and in the plan', () => {
    const example = JSON.parse(readFileSync(EXAMPLE_MAP_FILE, 'utf8'));
    const acknowledged = { id: 'cdk-service-gateway:url-bypasses-firewall', message: expect.any(String), acknowledged: true, reason: example.acknowledgeWarnings['cdk-service-gateway:url-bypasses-firewall'] };
    const json = JSON.parse(run([EXAMPLE_MAP_FILE, '--json']).out.join('\n'));
    expect(json.warnings).toEqual([acknowledged]);
    expect(json.plan.warnings).toEqual([acknowledged]);
    // Not acknowledged: the same warning says so.
    const { acknowledgeWarnings: _a, ...unacknowledged } = example;
    const plain = JSON.parse(run([mapFile(unacknowledged), '--json']).out.join('\n'));
    expect(plain.warnings).toEqual([{ id: 'cdk-service-gateway:url-bypasses-firewall', message: expect.any(String), acknowledged: false }]);
  });

  test('a bad map: every problem with its field path, exit 1, no plan; --json says the same', () => {
    const file = mapFile({ name: 'x', services: { a: { path: '/a', container: { image: 'nginx', cpu: 300 } }, b: { path: 'b' } } });
    const { code, out, err } = run([file]);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(/^Invalid service map \(\d+ problems\):$/);
    expect(err.join('\n')).toContain('services.a.container.cpu: 300 is not a Fargate CPU size');
    const json = run([file, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out.join('\n'));
    expect(parsed.plan).toBeUndefined();
    expect(parsed.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^services\.a\.container\.cpu/)]));
  });

  test('usage: a missing or unreadable file, an unknown option, --help', () => {
    expect(run([]).code).toBe(2);
    expect(run([]).err[0]).toBe('Missing the map file.');
    const missing = run(['/nonexistent/map.json']);
    expect([missing.code, missing.err[0]]).toEqual([2, 'serviceMap: cannot read "/nonexistent/map.json" (ENOENT)']);
    expect(run([EXAMPLE_MAP_FILE, '--yaml']).code).toBe(2);
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out[0]).toBe('Usage: cdk-service-gateway plan <map.json|map.yaml> [--json]');
  });
});
