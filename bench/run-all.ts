/**
 * Runs every benchmark in turn, each printing its own table:
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

for (const bench of ['synth.ts', 'authorizer.ts']) {
  console.log(`\n## bench/${bench}\n`);
  execFileSync(process.execPath, [...process.execArgv, join(__dirname, bench)], { stdio: 'inherit' });
}
