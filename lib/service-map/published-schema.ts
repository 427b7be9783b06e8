import { serviceMapJsonSchema } from './validate';

/** The JSON Schema file shipped in schema/service-map.schema.json. */
export function publishedJsonSchema(): Record<string, unknown> {
  return { $id: 'https://cdk-service-gateway/service-map.schema.json', title: 'cdk-service-gateway service map', ...serviceMapJsonSchema() };
}
