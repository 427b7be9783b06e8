// Type-checks what jest only transpiles, as part of `npm test`: the tests, benchmarks and scripts with the
// library (tsconfig.test.json) and the authorizer's tests (test/authorizer). The two programs are independent,
// so they run side by side (one per core) instead of one after the other. Exits non-zero if either fails.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const tsc = join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc');
const projects = ['tsconfig.test.json', 'test/authorizer'];
const runs = projects.map(
  (project) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [tsc, '-p', project], { cwd: join(__dirname, '..'), stdio: 'inherit' });
      child.on('close', (code) => resolve(code === 0 ? undefined : `tsc -p ${project} failed (exit ${code})`));
    }),
);
Promise.all(runs).then((failures) => {
  const failed = failures.filter(Boolean);
  for (const f of failed) console.error(f);
  process.exit(failed.length > 0 ? 1 : 0);
});
