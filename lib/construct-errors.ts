import { ValidationError } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * aws-cdk-lib's `ValidationError` for props a construct cannot build: CDK shows it with the construct's
 * path, and `Errors.isValidationError` recognises it. Its name is a brand aws-cdk-lib only makes from
 * literals (`lit`, not exported), hence the one cast here.
 */
export function validationError(scope: IConstruct, message: string): ValidationError {
  return new ValidationError('CdkServiceGatewayPropsError' as ConstructorParameters<typeof ValidationError>[0], message, scope);
}
