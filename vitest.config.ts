import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Long tests have their own run: npm run test:soak.
    exclude: ['test/soak/**', '**/node_modules/**'],
    environment: 'node',
    // TEST_DATABASE_URL=postgres://…: every test on a fresh PostgreSQL database copied from a template.
    globalSetup: ['test/postgres-global-setup.ts'],
    setupFiles: ['test/setup-databases.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Cheap password hashing in tests only; production uses scrypt N=2^17.
    env: { SCRYPT_COST: '1024' },
    maxWorkers: 2,
  },
});
