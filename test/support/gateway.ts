import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';

export const EXAMPLE_MAP_FILE = join(__dirname, '..', '..', 'examples', 'school.json');
export function exampleMap(): ServiceMap {
  return JSON.parse(readFileSync(EXAMPLE_MAP_FILE, 'utf8'));
}

export interface SynthesizedGateway {
  readonly app: App;
  readonly stack: Stack;
  readonly gateway: ServiceGateway;
  readonly root: Template;
  /** The template of the nested stack that holds a service. */
  serviceTemplate(name: string): Template;
}

/** Builds a gateway from a map in a fresh app, the way a user's CDK app would. */
export function synthGateway(map: ServiceMap): SynthesizedGateway {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map });
  const root = Template.fromStack(stack);
  const cache = new Map<number, Template>();
  return {
    app,
    stack,
    gateway,
    root,
    serviceTemplate(name: string) {
      const placement = gateway.placement.services.find((s) => s.name === name);
      if (!placement) throw new Error(`no service ${name}`);
      if (!cache.has(placement.group)) cache.set(placement.group, Template.fromStack(gateway.serviceStacks.get(placement.group)!));
      return cache.get(placement.group)!;
    },
  };
}

/** Resources of one type in a template, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): Array<[string, { Properties: Record<string, any>; DependsOn?: string[] }]> {
  return Object.entries(template.findResources(type)) as never;
}
