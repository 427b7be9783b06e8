/**
 * Writes the service map's JSON Schema and its Markdown reference, both generated from the zod
 * definition: schema/ ships with the package for editors, docs/ is the reference the README links.
 * Both are committed; a test fails when they are out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedJsonSchema } from '../lib/service-map/published-schema';
import { serviceMapReference } from '../lib/service-map/reference';

const root = join(__dirname, '..');
writeFileSync(join(root, 'schema', 'service-map.schema.json'), `${JSON.stringify(publishedJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'docs', 'service-map.md'), serviceMapReference());
