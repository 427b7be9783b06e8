/** The feature flags aws-cdk-lib recommends: what `cdk init` writes into a new app's cdk.json. */
export const RECOMMENDED_FLAGS: Readonly<Record<string, unknown>> = require('aws-cdk-lib/recommended-feature-flags.json');
