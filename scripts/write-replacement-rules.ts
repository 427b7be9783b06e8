/**
 * Writes lib/service-map/replacement-rules.json from the CloudFormation resource specification
 * (see scripts/replacement-rules.ts). Committed; a test fails when it differs from the installed spec.
 * Run after upgrading @aws-cdk/aws-service-spec: `npx tsx scripts/write-replacement-rules.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replacementRulesFromSpec, replacementRulesText } from './replacement-rules';

writeFileSync(join(__dirname, '..', 'lib', 'service-map', 'replacement-rules.json'), replacementRulesText(replacementRulesFromSpec()));
