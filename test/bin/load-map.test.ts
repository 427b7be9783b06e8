import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as binLoader from '../../bin/load-map';
import { EXAMPLE_MAP, MapFileError, loadServiceMapFile } from '../../lib/service-map/load-map';

describe('loadServiceMapFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-map-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test.each([
    ['JSON', 'bom.json', '\ufeff{"name":"shop","services":{}}'],
    ['YAML', 'bom.yaml', '\ufeffname: shop\nservices: {}\n'],
  ])('a %s file that starts with a UTF-8 byte-order mark reads as without it', (_kind, name, text) => {
    const { map } = loadServiceMapFile(write(name, text));
    expect(map).toEqual({ name: 'shop', services: {} });
    expect(Object.keys(map as object)).toEqual(['name', 'services']);
  });

  test('only the leading mark is removed: one inside a value stays (validation then shows it escaped)', () => {
    expect(loadServiceMapFile(write('middle.json', '\ufeff{"name":"\ufeffshop"}')).map).toEqual({ name: '\ufeffshop' });
  });
});

describe('the bundled example', () => {
  test('with no file, the bundled example map is read (from source here; from dist/lib when built)', () => {
    const { map, path } = loadServiceMapFile(undefined);
    expect(existsSync(EXAMPLE_MAP)).toBe(true);
    expect(path).toBeUndefined();
    expect((map as { services: object }).services).toHaveProperty('student-api');
  });

  test('bin/load-map still exports the loader for code that imported it there', () => {
    expect(binLoader.loadServiceMapFile).toBe(loadServiceMapFile);
    expect(binLoader.MapFileError).toBe(MapFileError);
  });
});

describe('errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-map-err-'));

  test('invalid JSON names the line and column (Node 20 names a character position only)', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "name": "shop"\n  "services": {}\n}\n');
    let error: MapFileError | undefined;
    try {
      loadServiceMapFile(file);
    } catch (e) {
      error = e as MapFileError;
    }
    expect(error).toBeInstanceOf(MapFileError);
    expect(error!.message).toMatch(/^serviceMap: ".*broken\.json" is not valid JSON: .*line 3,? column 3/);
    // Callers that name the file themselves (diff) use the detail.
    expect(error!.detail).toMatch(/^it is not valid JSON: .*line 3,? column 3/);
  });

  test('a file that cannot be read', () => {
    expect(() => loadServiceMapFile(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ detail: 'cannot read it (ENOENT)' }));
  });
});

test('a file that is not a map (no .json/.yaml extension, not JSON) says what a map file is, and points to import', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'load-map-conf-')), 'nginx.conf');
  writeFileSync(file, 'http {\n  server { }\n}\n');
  expect(() => loadServiceMapFile(file)).toThrow(/is not valid JSON: [^\n]*\(a service map file is JSON, \.json, or YAML, \.yaml or \.yml; "cdk-service-gateway import" turns an NGINX, Kong or Copilot file into one\)$/);
});

test.each(['empty.json', 'empty.yaml'])('an empty %s says it is empty (it was "Unexpected end of JSON input", or "expected an object, got null")', (name) => {
  const file = join(mkdtempSync(join(tmpdir(), 'load-map-empty-')), name);
  writeFileSync(file, ' \n');
  expect(() => loadServiceMapFile(file)).toThrow(expect.objectContaining({ detail: 'it is empty (a service map needs at least "name" and "services")' }));
});
