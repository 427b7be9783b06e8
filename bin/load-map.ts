/** Kept for imports of the old location; the map loader lives in lib/service-map/load-map.ts. */
export { EXAMPLE_MAP, MapFileError, loadServiceMapFile } from '../lib/service-map/load-map';
