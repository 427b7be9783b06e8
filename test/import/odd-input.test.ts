/**
 * Odd input to `cdk-service-gateway import`, as a new user may give it: internationalized server names, regex
 * locations, a 10,000-character directive value, and files that are empty, binary, not UTF-8, with a BOM, or a
 * folder. Valid input imports; the rest is a clear error naming the file (exit 2, nothing written, no stack trace).
 */
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMPORT_EXIT, importFiles, runImport } from '../../lib/import/command';
import { mapName } from '../../lib/import/common';
import { validateServiceMap } from '../../lib/plan';
import { entry } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'csg-odd-'));
function file(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
}
function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runImport(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
const server = (names: string, extra = '') =>
  `http {\n  server {\n    listen 443 ssl;\n    server_name ${names};\n    location /docs/ { proxy_pass https://docs.example.com/;${extra} }\n    location ~ ^/api/v[0-9]+/ { proxy_pass https://api.example.com; }\n  }\n}\n`;

describe('NGINX odd but valid input', () => {
  test('an internationalized server_name becomes the domain in its DNS (punycode) form, and the map validates', () => {
    const out = importFiles([file('idn.conf', server('bücher.example.de 例え.jp'))], { outDir: dir });
    expect(out.map.domain?.name).toBe('xn--bcher-kva.example.de');
    expect(() => validateServiceMap(out.map)).not.toThrow();
    const line = entry(out, 'server_name bücher.example.de');
    expect(line.fields).toEqual(['domain.name']);
    expect(line.note).toBe('bücher.example.de in its DNS (punycode) form xn--bcher-kva.example.de; the first name the map can use; other names (1) have no equivalent: one domain per gateway');
    expect(entry(out, 'listen 443 ssl').fields).toEqual(['domain']);
  });

  test('with no server_name the map can use, listen 443 ssl is not reported as a domain the map lacks', () => {
    const out = importFiles([file('wild.conf', server('*.example.com _'))], { outDir: dir });
    expect(out.map.domain).toBeUndefined();
    expect(entry(out, 'listen 443 ssl')).toEqual(expect.objectContaining({ fields: [], note: 'HTTPS on a custom domain needs a host name, and the server has none the map can use (*.example.com, _)' }));
    expect(entry(out, 'server_name').note).toBe('not a host name a custom domain can have (*.example.com: a wildcard or expression; "_": a catch-all)');
  });

  test('a regex location is reported; a 10,000-character directive value imports and is shortened in the report', () => {
    const long = 'x'.repeat(10_000);
    const out = importFiles([file('long.conf', server('api.example.com', ` add_header X-Long "${long}";`))], { outDir: dir });
    expect(Object.keys(out.map.services)).toEqual(['docs']);
    expect(entry(out, 'location ~ ^/api/v[0-9]+/').note).toMatch(/regular-expression location/);
    const header = entry(out, 'add_header X-Long');
    expect(header.fields).toEqual([]);
    expect(header.item.length).toBeLessThan(200);
  });

  test('a UTF-8 byte-order mark at the start is ignored', () => {
    const out = importFiles([file('bom.conf', `\ufeff${server('api.example.com')}`)], { outDir: dir });
    expect(out.map.domain?.name).toBe('api.example.com');
  });
});

describe('names with accented letters', () => {
  test('keep their base letters in map names (they were dropped: "über-service" became "ber-service")', () => {
    expect(mapName('über-Service', 32, 'service')).toBe('uber-service');
    expect(mapName('Café Crème', 32, 'service')).toBe('cafe-creme');
    expect(mapName('例え', 32, 'service')).toBe('service');
    const kong = file('kong.yml', '_format_version: "3.0"\nservices:\n  - name: über-service\n    url: https://orders.example.com\n    routes: [{ paths: ["/bestellungen"] }]\n');
    expect(Object.keys(importFiles([kong], { outDir: dir }).map.services)).toEqual(['uber-service']);
  });
});

describe('files that are not a gateway configuration: exit 2, nothing written, the file named', () => {
  test.each([
    ['an empty file', () => file('empty.conf', ''), /^cdk-service-gateway import: .*empty\.conf: the file is empty: nothing to import; give an nginx\.conf/],
    ['a blank YAML file', () => file('blank.yml', '  \n\n'), /blank\.yml: the file is empty/],
    ['a binary file', () => file('binary.conf', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])), /binary\.conf:3: not a text file \(a NUL byte at byte 8\)/],
    ['a text file with a NUL byte', () => file('nul.conf', 'http { server { } }\n\0'), /nul\.conf:2: not a text file \(a NUL byte at byte 20\)/],
    ['a Latin-1 file', () => file('latin1.conf', Buffer.from('http {\n  # caf\xe9\n}\n', 'latin1')), /latin1\.conf:2: not UTF-8 text \(an invalid byte at byte 14\); save it as UTF-8/],
    ['a folder', () => (mkdirSync(join(dir, 'copilot'), { recursive: true }), join(dir, 'copilot')), /copilot: is a folder; .*\(e\.g\. copilot\/\*\/manifest\.yml\)/],
  ])('%s', (_what, make, message) => {
    const out = mkdtempSync(join(tmpdir(), 'csg-odd-out-'));
    const r = run([make(), '-o', join(out, 'map.yaml')]);
    expect(r.code).toBe(IMPORT_EXIT.cannotImport);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing was written\.$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  });
});
