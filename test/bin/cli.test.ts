import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built command line (needs `npm run build` first, as `npm test` does). */
const root = join(__dirname, '..', '..');
const cli = (...args: string[]) => execFileSync(process.execPath, [join(root, 'dist', 'bin', 'cli.js'), ...args], { encoding: 'utf8' });

describe('cdk-service-gateway command line', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(cli('--version').trim()).toBe(version);
    expect(cli('-v').trim()).toBe(version);
    expect(cli('--help')).toMatch(/--version/);
  });

  test('a reader that closes the pipe early (`plan map.json | head -1`) gets no EPIPE stack trace, and the exit code stays the command\'s', async () => {
    const run = async (closed: 'stdout' | 'stderr', ...args: string[]) => {
      const child = spawn(process.execPath, [join(root, 'dist', 'bin', 'cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      // The reader is gone before the command writes: every write there meets a closed pipe (EPIPE).
      child[closed].destroy();
      let other = '';
      child[closed === 'stdout' ? 'stderr' : 'stdout'].on('data', (chunk) => (other += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, other };
    };
    const school = join(root, 'examples', 'school.json');
    expect(await run('stdout', 'plan', school)).toEqual({ code: 0, other: '' });
    expect(await run('stdout', 'plan', school, '--json')).toEqual({ code: 0, other: '' });
    // An unreadable map is still bad input (2) when nobody reads the error.
    expect(await run('stderr', 'diff', join(root, 'no-such-map.json'), join(root, 'no-such-map-either.json'))).toEqual({ code: 2, other: '' });
  });

  test('verify --help lists every item the README says verify compares', () => {
    // GIVEN the README's list: "... and compares it with the deployed <items>. It prints ..."
    const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const list = readme.match(/compares it with the deployed (.+?)\. It prints/)![1];
    const items = list
      .replace(/\([^)]*\)/g, '')
      .split(/,\s*(?:and\s+)?|\s+and\s+/)
      .map((item) => item.replace(/^(the|its)\s+/, '').trim())
      .filter(Boolean);
    expect(items.length).toBeGreaterThanOrEqual(10);
    // THEN the help names each of them
    const help = cli('verify', '--help').replace(/\s+/g, ' ');
    for (const item of items) expect({ item, listed: help.includes(item) }).toEqual({ item, listed: true });
  });
});
