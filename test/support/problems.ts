import { validateServiceMap } from '../../lib/plan';
import { ServiceMapError } from '../../lib/service-map';

/** The problem lines validation reports for a map; [] when it accepts the map. */
export function problemsOf(input: unknown): string[] {
  try {
    validateServiceMap(input);
  } catch (e) {
    if (e instanceof ServiceMapError) return [...e.problems];
    throw e;
  }
  return [];
}

/** The problem lines of a map that must be rejected: accepting it fails the test. */
export function rejectionOf(input: unknown): string[] {
  const problems = problemsOf(input);
  if (problems.length === 0) throw new Error('expected the map to be rejected');
  return problems;
}
