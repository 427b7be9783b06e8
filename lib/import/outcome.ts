import type { ServiceMap } from '../service-map/schema';
import type { ImportReport } from './report';

export interface ImportOptions {
  /** Gateway name (--name); each importer has a default. */
  readonly name?: string;
  /** Copilot environment whose overrides to apply (--env). */
  readonly env?: string;
}

/** What an importer returns: the map (not yet validated) and the report of what became of each source item. */
export interface ImportOutcome {
  readonly map: ServiceMap;
  readonly report: ImportReport;
  /** "NGINX", "Kong", "Copilot". */
  readonly format: string;
  readonly sources: readonly string[];
}
