/**
 * Writes the service map's JSON Schema (generated from the zod definition) to schema/, where it ships
 * with the package for editors. Run by `npm run build`; the file is committed so that it can be
 * referenced from a repository, and a test checks that it is current.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceMapJsonSchema } from '../lib/service-map';

const target = join(__dirname, '..', 'schema', 'service-map.schema.json');
const schema = { $id: 'https://cdk-service-gateway/service-map.schema.json', title: 'cdk-service-gateway service map', ...serviceMapJsonSchema() };
writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
