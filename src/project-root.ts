import { fileURLToPath } from 'node:url';

/**
 * The project's folder, for the data files shipped with it (seed/). This file sits one level below it,
 * as does the server bundle (dist/server.mjs) that `npm start` runs, so the answer is the same in both.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
