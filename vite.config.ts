import { defineConfig } from 'vite';

// Builds the Lit islands into public/assets with content-hashed names and a manifest,
// so the server can serve them with long-lived immutable caching.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/assets',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input: { app: 'web-components/index.ts' },
      output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
    },
  },
});
