/**
 * The structure reads one way: map -> plan -> constructs / verify / diff / import / CLI.
 * - lib/service-map (the map's schema, its checks, and the AWS facts it is checked against) imports nothing else of lib;
 * - lib/plan (every decision, as plain data) imports only the map layer;
 * - the constructs render the plan and never import the tools (verify, diff, import) or the package root;
 * - verify's expected side is the plan: it imports no construct;
 * - no folder imports one that imports it back, and nothing in lib imports the command-line entry points (bin/).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const LIB = join(ROOT, 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative module specifiers of static imports (type-only ones too), re-exports, require() and import() calls. */
function specifiers(text: string): string[] {
  const found = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*|import\s+)['"](\.[^'"]*)['"]/g)].map((m) => m[1]);
  return [...new Set(found)];
}

/** The unit of lib a file belongs to: its folder under lib/, or the file's name for a module at lib/'s top. */
function unitOf(file: string): string {
  const parts = relative(LIB, file).split(sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.(ts|json)$/, '');
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly spec: string;
}

/** Every import of one lib unit from another (an import outside lib/ has `to` = the path from the root). */
function edges(files: readonly string[] = sources(LIB)): Edge[] {
  return files.flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).flatMap((spec) => {
      const target = resolve(dirname(file), spec);
      const inLib = (target + sep).startsWith(LIB + sep);
      const to = inLib ? unitOf(target) : relative(ROOT, target);
      const from = unitOf(file);
      return from === to ? [] : [{ from, to, file: relative(ROOT, file), spec }];
    }),
  );
}

const CONSTRUCTS = ['authorizer', 'backends', 'firewall', 'front-door', 'monitoring', 'service-gateway', 'stack-quotas', 'template-size-check', 'construct-errors', 'recorded-map'];
const TOOLS = ['verify', 'change', 'import', 'index', 'testing'];

function offenders(from: (unit: string) => boolean, allowed: (to: string) => boolean, all: readonly Edge[] = edges()): string[] {
  return all.filter((e) => from(e.from) && !allowed(e.to)).map((e) => `${e.file} imports ${e.spec}`);
}

test('the map layer (lib/service-map) imports nothing else of the project', () => {
  expect(offenders((u) => u === 'service-map', () => false)).toEqual([]);
});

test('the plan (lib/plan) imports only the map layer and the text table', () => {
  expect(offenders((u) => u === 'plan', (to) => to === 'service-map' || to === 'text-table')).toEqual([]);
});

test('the constructs import the map, the plan and each other, never a tool (verify, diff, import) or the package root', () => {
  expect(offenders((u) => CONSTRUCTS.includes(u), (to) => !TOOLS.includes(to) && !to.startsWith('bin'))).toEqual([]);
});

test("verify's expected side is the plan: lib/verify imports no construct (the recorded map's shape is shared)", () => {
  expect(offenders((u) => u === 'verify', (to) => to === 'recorded-map' || !CONSTRUCTS.includes(to))).toEqual([]);
});

test('no module under lib/ imports anything under bin/', () => {
  expect(offenders(() => true, (to) => !to.startsWith(`bin${sep}`) && to !== 'bin')).toEqual([]);
});

test('no two units of lib import each other, directly or round a longer loop', () => {
  const graph = new Map<string, Set<string>>();
  for (const e of edges()) if (!e.to.includes(sep)) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
  const cycles: string[] = [];
  const visit = (unit: string, path: string[]) => {
    for (const next of graph.get(unit) ?? []) {
      if (next === path[0]) cycles.push([...path, next].join(' -> '));
      else if (!path.includes(next) && next > path[0]) visit(next, [...path, next]);
    }
  };
  for (const unit of [...graph.keys()].sort()) visit(unit, [unit]);
  expect(cycles).toEqual([]);
});

test('the scan sees imports of every form and tells the layers apart (it would catch a plan -> construct import)', () => {
  expect(specifiers(`import { a } from '../../bin/load-map';\nexport * from "./x";\nconst y = require('../y');\nawait import('./z');\nimport type { T } from './t';`)).toEqual([
    '../../bin/load-map',
    './x',
    '../y',
    './z',
    './t',
  ]);
  const planFile = join(LIB, 'plan', 'example.ts');
  expect(unitOf(planFile)).toBe('plan');
  expect(unitOf(join(LIB, 'service-gateway.ts'))).toBe('service-gateway');
  const fake: Edge[] = [{ from: 'plan', to: 'front-door', file: 'lib/plan/example.ts', spec: '../front-door/http-front-door' }];
  expect(offenders((u) => u === 'plan', (to) => to === 'service-map', fake)).toEqual(['lib/plan/example.ts imports ../front-door/http-front-door']);
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
