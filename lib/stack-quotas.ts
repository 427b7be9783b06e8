import { CfnElement, CfnOutput, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { QUOTAS } from './service-map/limits';

/** What one template holds, counted from the construct tree. */
export function countTemplate(stack: Stack): { resources: number; parameters: number; outputs: number } {
  const own = stack.node.findAll().filter((c: IConstruct) => CfnElement.isCfnElement(c) && Stack.of(c) === stack);
  return {
    resources: own.filter((c) => CfnResource.isCfnResource(c)).length,
    parameters: own.filter((c) => c instanceof CfnParameter).length,
    outputs: own.filter((c) => c instanceof CfnOutput).length,
  };
}

/**
 * Fails synthesis when a template would pass CloudFormation's hard quotas (resources, parameters,
 * outputs), naming the stack, instead of letting the deployment fail halfway.
 */
export function checkStackQuotas(stack: Stack): void {
  stack.node.addValidation({
    validate: () => {
      const n = countTemplate(stack);
      const errors: string[] = [];
      if (n.resources > QUOTAS.stackResources) errors.push(`${stack.node.path}: ${n.resources} resources, above CloudFormation's ${QUOTAS.stackResources} per template`);
      if (n.parameters > QUOTAS.stackParameters) errors.push(`${stack.node.path}: ${n.parameters} parameters, above CloudFormation's ${QUOTAS.stackParameters}`);
      if (n.outputs > QUOTAS.stackOutputs) errors.push(`${stack.node.path}: ${n.outputs} outputs, above CloudFormation's ${QUOTAS.stackOutputs}`);
      return errors;
    },
  });
}
