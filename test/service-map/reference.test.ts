import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedJsonSchema } from '../../lib/service-map/published-schema';
import { serviceMapReference } from '../../lib/service-map/reference';

const root = join(__dirname, '..', '..');

describe('generated documentation of the map', () => {
  test('the shipped JSON Schema is current with the zod definition', () => {
    const shipped = JSON.parse(readFileSync(join(root, 'schema', 'service-map.schema.json'), 'utf8'));
    expect(shipped).toEqual(publishedJsonSchema());
  });

  test('docs/service-map.md is current, and lists every field with its default', () => {
    const doc = readFileSync(join(root, 'docs', 'service-map.md'), 'utf8');
    expect(doc).toBe(serviceMapReference());
    expect(doc).toContain('| `services.<name>.container.cpu` | number |  | `256` |');
    expect(doc).toContain('| `name` | string | yes |');
  });

  test('limits are the real ones: no safe-integer bounds; 0 (off) or the ALB\'s range for slow start and stickiness', () => {
    const doc = readFileSync(join(root, 'docs', 'service-map.md'), 'utf8');
    expect(doc).not.toContain('9007199254740991');
    expect(doc).toMatch(/\| `services\.<name>\.loadBalancing\.slowStartSeconds` \| integer \|  \| `0` \| 0 \(off\), or 30 to 900 \|/);
    expect(doc).toMatch(/\| `services\.<name>\.loadBalancing\.stickinessSeconds` \| integer \|  \| `0` \| 0 \(off\), or 1 to 604800 \|/);
    // AND editors get the same bounds from the JSON Schema
    const slowStart = (publishedJsonSchema() as any).properties.services.additionalProperties.properties.loadBalancing.properties.slowStartSeconds;
    expect(slowStart.anyOf).toEqual([{ const: 0 }, { minimum: 30, maximum: 900 }]);
    expect(JSON.stringify(publishedJsonSchema())).not.toContain('9007199254740991');
  });

  test('the JSON Schema rejects unknown fields, as the validator does', () => {
    const schema = publishedJsonSchema() as any;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.services.additionalProperties.additionalProperties).toBe(false);
  });
});
