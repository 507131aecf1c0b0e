import { defineConfig } from 'vitest/config';

// Long tests (real server processes killed and restarted, load): `npm run test:soak`, run by CI after the suite.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 60_000,
    env: { SCRYPT_COST: '1024' },
    maxWorkers: 1,
  },
});
