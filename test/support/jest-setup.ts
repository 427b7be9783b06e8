/**
 * Runs in every jest worker before each test file (jest.config.js `setupFiles`).
 *
 * aws-cdk-lib validates every synthesized template against the CloudFormation resource schemas
 * (@aws/cloudformation-validate, a WebAssembly engine). By default it only reports (errors become warnings,
 * nothing fails) and it costs about 6 s per synth, most of the suite's time. The suite turns it off here, as
 * CDK documents (`CDK_VALIDATION=false`); test/constructs/cfn-validate.test.ts turns it back on, strictly
 * (errors fail synth), for the example map and the every-feature maps. Plugins the library registers itself
 * (TemplateSizeCheck) still run.
 */
process.env.CDK_VALIDATION = 'false';
