/**
 * `cdk-service-gateway import` as a user runs it: files written, options, errors, exit codes, determinism.
 * Most cases call the command in-process (fast); two run bin/cli.ts in a fresh process.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { IMPORT_EXIT, runImport } from '../../lib/import/command';
import { validateServiceMap } from '../../lib/plan';
import { COPILOT, FIXTURE_SECRETS, KONG, NGINX } from './helpers';

const ROOT = join(__dirname, '../..');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runImport(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function spawnCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/cli.ts'), 'import', ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'csg-import-'));

describe('cdk-service-gateway import', () => {
  const outputs: string[] = [];
  afterAll(() => {
    // Whatever ran, no secret from the fixtures reached the terminal.
    for (const secret of FIXTURE_SECRETS) expect(outputs.join('\n')).not.toContain(secret);
  });
  const track = <T extends { stdout: string; stderr: string }>(r: T): T => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  test('-o writes the map and, beside it, the report; the terminal gets a summary', () => {
    const dir = tmp();
    const r = track(run([...NGINX, '-o', join(dir, 'shop.yaml'), '--name', 'shop']));
    expect(r.code).toBe(IMPORT_EXIT.written);
    expect(readdirSync(dir).sort()).toEqual(['shop.report.md', 'shop.yaml']);
    const map = parseYaml(readFileSync(join(dir, 'shop.yaml'), 'utf8'));
    expect(map.name).toBe('shop');
    expect(() => validateServiceMap(map)).not.toThrow();
    expect(readFileSync(join(dir, 'shop.yaml'), 'utf8')).toMatch(/^# Service map imported from NGINX .*\n# 3 values marked REPLACE-ME .* see shop\.report\.md\./);
    expect(r.stdout).toMatch(/Wrote .*shop\.yaml \(NGINX: 4 services\) and .*shop\.report\.md\./);
    expect(r.stdout).toMatch(/Fill in before deploying:\n {2}services\.orders\.container\.image: /);
    expect(r.stdout).toMatch(/\nNo equivalent \(see the report for why and the nearest option\):\n/);
    expect(r.stdout).toMatch(/\n {2}\S*nginx\.conf:52 client_max_body_size 25m\n/);
    const report = readFileSync(join(dir, 'shop.report.md'), 'utf8');
    expect(report).toMatch(/^# Import report: NGINX to service map/);
    expect(report).toContain('## No equivalent');
  });

  test('.json writes JSON; -o - prints the map and the summary goes to stderr', () => {
    const dir = tmp();
    expect(track(run([KONG, '-o', join(dir, 'kong.json')])).code).toBe(0);
    const map = JSON.parse(readFileSync(join(dir, 'kong.json'), 'utf8'));
    expect(map.frontDoor).toBe('rest');
    expect(existsSync(join(dir, 'kong.report.md'))).toBe(true);
    const r = track(run([KONG, '-o', '-']));
    expect(r.code).toBe(0);
    expect(parseYaml(r.stdout).services.orders.path).toBe('/orders');
    expect(r.stderr).toMatch(/carried over/);
  });

  test('--env applies a Copilot environment; --env on another kind is an error', () => {
    const dir = tmp();
    expect(track(run([...COPILOT, '-o', join(dir, 'prod.yaml'), '--env', 'prod', '--name', 'shop'])).code).toBe(0);
    expect(parseYaml(readFileSync(join(dir, 'prod.yaml'), 'utf8')).services.api.container.cpu).toBe(1024);
    const r = track(run([KONG, '-o', join(dir, 'k.yaml'), '--env', 'prod']));
    expect(r.code).toBe(IMPORT_EXIT.cannotImport);
    expect(r.stderr).toMatch(/--env applies to Copilot manifests only/);
  });

  test.each([
    ['an unreadable file', (dir: string) => [join(dir, 'missing.conf')], /missing\.conf: cannot read the file \(ENOENT\)/],
    ['a broken NGINX file', (dir: string) => [write(dir, 'nginx.conf', 'http {\n  server {\n    listen 443 ssl\n  }\n}\n')], /nginx\.conf:3: the directive is not terminated: missing ";" before "}"/],
    ['bad YAML', (dir: string) => [write(dir, 'kong.yml', '_format_version: "3.0"\nservices:\n  - name: a\n   url: x\n')], /kong\.yml:4: not valid YAML or JSON/],
    ['an unknown Kong version', (dir: string) => [write(dir, 'kong.yml', '_format_version: "0.9"\n')], /kong\.yml:1: _format_version "0\.9"/],
    ['an unknown kind', (dir: string) => [write(dir, 'thing.yaml', 'hello: world\n')], /thing\.yaml: not an NGINX configuration, a Kong declarative config .* or a Copilot manifest/],
    ['mixed kinds', () => [KONG, ...COPILOT], /the files are of different kinds/],
  ])('%s: exit 2, the file and line named, nothing written', (_what, files, message) => {
    const dir = tmp();
    const target = join(dir, 'out', 'map.yaml');
    const r = track(run([...files(dir), '-o', target]));
    expect(r.code).toBe(IMPORT_EXIT.cannotImport);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing was written/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(dir, 'out', 'map.report.md'))).toBe(false);
  });

  test('a map that would not validate (a bad --name): exit 1 with the problem, nothing written', () => {
    const dir = tmp();
    const r = track(run([KONG, '-o', join(dir, 'map.yaml'), '--name', 'Shop_API']));
    expect(r.code).toBe(IMPORT_EXIT.invalidMap);
    expect(r.stderr).toMatch(/does not validate:\n {2}name: "Shop_API" is not a valid gateway name/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('an existing map is not overwritten without --force', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'map.yaml'), 'hand-edited\n');
    const r = track(run([KONG, '-o', join(dir, 'map.yaml')]));
    expect(r.code).toBe(IMPORT_EXIT.cannotImport);
    expect(r.stderr).toMatch(/already exists; pass --force/);
    expect(readFileSync(join(dir, 'map.yaml'), 'utf8')).toBe('hand-edited\n');
    expect(readdirSync(dir)).toEqual(['map.yaml']);
    expect(track(run([KONG, '-o', join(dir, 'map.yaml'), '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'map.yaml'), 'utf8')).toMatch(/^# Service map imported from Kong/);
  });

  test('usage errors exit 2 with the usage; --help exits 0', () => {
    expect(track(run([])).stderr).toMatch(/Give at least one file/);
    expect(run([]).code).toBe(2);
    expect(run(['--bogus', KONG]).code).toBe(2);
    expect(run([KONG, '-o', 'map.txt']).stderr).toMatch(/YAML \(\.yaml, \.yml\) or JSON/);
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cdk-service-gateway import <file>\.\.\./);
  });

  test('the same input gives byte-identical map and report, also from a fresh process (bin/cli.ts)', async () => {
    const dir = tmp();
    for (const [files, extra] of [[NGINX, []], [[KONG], []], [COPILOT, ['--env', 'prod']]] as const) {
      const map = join(dir, 'map.yaml');
      track(run([...files, '-o', map, '--force', ...extra]));
      const first = [readFileSync(map), readFileSync(join(dir, 'map.report.md'))];
      const again = track(await spawnCli([...files, '-o', map, '--force', ...extra], dir));
      expect(again.code).toBe(0);
      expect(readFileSync(map).equals(first[0])).toBe(true);
      expect(readFileSync(join(dir, 'map.report.md')).equals(first[1])).toBe(true);
    }
  }, 120_000);

  test('importing the constructs library does not load the importer or its parser', async () => {
    const probe = "require('./lib'); const loaded = Object.keys(require.cache); console.log(JSON.stringify(loaded.filter((k) => /nginx-conf|[\\\\/]lib[\\\\/]import[\\\\/]/.test(k))));";
    const r = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--require', join(ROOT, 'node_modules/tsx/dist/cjs/index.cjs'), '-e', probe], { cwd: ROOT, timeout: 60_000 }, (e, stdout) => (e ? reject(e) : resolve(stdout))),
    );
    expect(JSON.parse(r.trim().split('\n').pop()!)).toEqual([]);
  }, 60_000);
});

function write(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
