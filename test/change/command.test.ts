import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIFF_EXIT_CODES, runDiff } from '../../lib/change/command';
import type { ServiceMap } from '../../lib/service-map/schema';
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

  test('1 when a listener-rule priority moves (a cloud assembly against a map file)', () => {
    // GIVEN the deployed example, WHEN live-reading is pinned to another priority
    const map = exampleMap();
    const moved: ServiceMap = { ...map, services: { ...map.services, 'live-reading': { ...map.services['live-reading'], priority: 7 } } };
    const r = run([deployed, writeMap(moved)]);
    expect(r.code).toBe(DIFF_EXIT_CODES.unsafe);
    expect(r.out).toMatch(/UNSAFE {2}priority +service live-reading: listener rule livereadingBackendRule\w+ moves from priority \d+ to 7/);
    expect(r.out).toMatch(/^service live-reading:$/m);
    expect(r.out).toMatch(/Result: unsafe, 1 finding above need attention \(exit 1\)$/);
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
    expect(run([writeMap('{ not json'), deployed])).toEqual(expect.objectContaining({ code: 2, err: expect.stringMatching(/is not valid JSON/) }));
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
