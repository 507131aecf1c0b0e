// Starts the analysis worker from its TypeScript source (tests, `npm run dev`); the built server
// starts dist/analysis-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./analysis-worker.ts');
