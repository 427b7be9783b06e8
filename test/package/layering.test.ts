/**
 * Data flows map -> plan -> constructs / verify / diff / CLI: the library (lib/) never imports the command-line
 * entry points (bin/), so that every lib module can be used, bundled and tested without them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative module specifiers of static imports, re-exports, require() and import() calls. */
function specifiers(text: string): string[] {
  const found = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*|import\s+)['"](\.[^'"]*)['"]/g)].map((m) => m[1]);
  return [...new Set(found)];
}

test('no module under lib/ imports anything under bin/', () => {
  const bin = resolve(ROOT, 'bin') + sep;
  const offenders = sources(join(ROOT, 'lib')).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((spec) => (resolve(dirname(file), spec) + sep).startsWith(bin))
      .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});

test('the scan sees imports of every form (it would catch a lib -> bin import)', () => {
  expect(specifiers(`import { a } from '../../bin/load-map';\nexport * from "./x";\nconst y = require('../y');\nawait import('./z');`)).toEqual([
    '../../bin/load-map',
    './x',
    '../y',
    './z',
  ]);
});

test('the front doors render the plan: from the modules that decide routes and the authorizer they import types only', () => {
  const decided = ['plan/routes', 'plan/authorizer'].map((m) => resolve(ROOT, 'lib', m));
  const offenders = ['http-front-door.ts', 'rest-front-door.ts'].flatMap((name) => {
    const file = join(ROOT, 'lib', 'front-door', name);
    return [...readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^;]*?from\s+['"](\.[^'"]*)['"]/gm)]
      .filter((m) => !m[1] && decided.includes(resolve(dirname(file), m[2])))
      .map((m) => `${name}: ${m[0]}`);
  });
  expect(offenders).toEqual([]);
});
