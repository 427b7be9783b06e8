import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceMapFile } from '../../bin/load-map';

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
