import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `cdk synth` the way a user does (needs `npm run build` first, as `npm test` does). */
function cdkSynth(args: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), 'csg-bin-')), 'cdk.out');
  const result = spawnSync(join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '-o', out, ...args], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' },
  });
  return { ...result, out };
}

describe('the bundled app (cdk synth)', () => {
  test('without -c it synthesizes the bundled example', () => {
    const r = cdkSynth([]);
    expect(r.status).toBe(0);
    const template = JSON.parse(readFileSync(join(r.out, 'school-gateway.template.json'), 'utf8'));
    const types = Object.values<any>(template.Resources).map((x) => x.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::ApiGatewayV2::Api', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::Lambda::Function']));
    // The example acknowledges its one warning in the map: synth prints none of this library's warnings.
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/cdk-service-gateway:[a-z-]+/);
  });

  test('-c serviceMap reads a YAML map', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-map-'));
    writeFileSync(join(dir, 'map.yaml'), 'name: yam\nservices:\n  web:\n    path: /web\n    container:\n      image: nginx:1.27\n');
    const r = cdkSynth(['-c', `serviceMap=${join(dir, 'map.yaml')}`]);
    expect(r.status).toBe(0);
    expect(existsSync(join(r.out, 'yam-gateway.template.json'))).toBe(true);
  });

  test('-c serviceMap reads a JSON map, and its services get their own stack name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-map-'));
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ name: 'shop', services: { orders: { path: '/orders', url: 'https://orders.example.com' } } }));
    const r = cdkSynth(['-c', `serviceMap=${join(dir, 'map.json')}`]);
    expect(r.status).toBe(0);
    const template = JSON.parse(readFileSync(join(r.out, 'shop-gateway.template.json'), 'utf8'));
    expect(Object.values<any>(template.Resources).some((x) => x.Type === 'AWS::ApiGatewayV2::Api' && x.Properties.Name === 'shop')).toBe(true);
  });

  test('a bad map exits non-zero with every problem, no stack trace, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-map-'));
    // The name is bad too: the stack is named after it, so it must be reported like any other problem.
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'Bad Name', services: { web: { path: 'web', container: { image: 'x', cpu: 300 } } } }));
    const r = cdkSynth(['-c', `serviceMap=${join(dir, 'bad.json')}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^\s+name: "Bad Name" is not a valid gateway name/m);
    expect(r.stderr).toContain('services.web.path: "web" is not a valid service path');
    expect(r.stderr).toContain('services.web.container.cpu: 300 is not a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)');
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(existsSync(r.out) ? readdirSync(r.out).filter((f) => f.endsWith('.template.json')) : []).toEqual([]);
  });

  test('a missing or unparsable map file is reported plainly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-map-'));
    writeFileSync(join(dir, 'broken.json'), '{ "name": ');
    const r = cdkSynth(['-c', `serviceMap=${join(dir, 'broken.json')}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/serviceMap: ".*broken\.json" is not valid JSON/);
    const missing = cdkSynth(['-c', 'serviceMap=/nonexistent/map.json']);
    expect(missing.stderr).toContain('serviceMap: cannot read "/nonexistent/map.json" (ENOENT)');
  });
});
