export { runVerify, awsSources, EXIT_CODES, type VerifyCommandOptions, type CommandOutput } from './command';
export { verifyStack, type VerifySources, type VerifyRequest, type VerifyReport, type GatewayReport } from './verify';
export type { Row, Status, Item } from './items';
export type { StackReader, StackResource } from './deployed/stack';
export type { HttpApiReader, HttpApiState } from './deployed/http';
export type { DeployedApiKey, RestApiReader, RestApiState } from './deployed/rest';
export type { FirewallReader, WebAclRef } from './deployed/firewall';
export { METADATA_KEY, SCHEMA_VERSION, type RecordedGateway } from './record/gateway-record';
export { formatReport } from './table';
