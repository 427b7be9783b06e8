#!/usr/bin/env node
/**
 * The deployable app: `cdk synth -c serviceMap=path/to/map.json` (or .yaml / .yml); without it, the
 * bundled example map. A bad map prints every problem, exits 1, and writes nothing.
 */
import { dirname } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { imageDirectoryProblem } from '../lib/backends/fargate-backend';
import { ServiceGateway } from '../lib/service-gateway';
import { planGateway } from '../lib/plan';
import { ServiceMapError } from '../lib/service-map/validate';
import { loadServiceMapFile, MapFileError } from '../lib/service-map/load-map';

const app = new App({ analyticsReporting: false });
const file = app.node.tryGetContext('serviceMap') as string | undefined;

try {
  const { map, path } = loadServiceMapFile(file);
  // Planned before the stack exists: the stack is named after the map, and a bad name must be
  // reported as a map problem, together with every other one. The gateway renders this plan.
  const baseDirectory = path ? dirname(path) : undefined;
  const { problems, plan } = planGateway(map, { checkImageDirectory: (directory) => imageDirectoryProblem(directory, baseDirectory) });
  if (!plan) throw new ServiceMapError(problems);
  const stack = new Stack(app, `${plan.name}-gateway`, {
    description: `${plan.name} API gateway (cdk-service-gateway) from ${file ? 'the map given with -c serviceMap' : 'the bundled example map'}`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  new ServiceGateway(stack, 'Gateway', { plan, baseDirectory });
  app.synth();
} catch (e) {
  if (e instanceof ServiceMapError || e instanceof MapFileError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
