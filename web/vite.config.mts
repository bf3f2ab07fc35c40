import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/** Built from the repository root: npx vite build --config web/vite.config.ts */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n feature flags: composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', changeOrigin: true },
      // Sign-in endpoints, CSV exports and files live on the gateway too; the session cookie is same-origin.
      '/auth': { target: 'http://127.0.0.1:4000', changeOrigin: true },
      '/admin/audit.csv': { target: 'http://127.0.0.1:4000', changeOrigin: true },
      // Referral attachments (upload and download) and the provision-record CSV.
      '/files': { target: 'http://127.0.0.1:4000', changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', changeOrigin: true },
      // Sign-in endpoints, CSV exports and files live on the gateway too; the session cookie is same-origin.
      '/auth': { target: 'http://127.0.0.1:4000', changeOrigin: true },
      '/admin/audit.csv': { target: 'http://127.0.0.1:4000', changeOrigin: true },
      // Referral attachments (upload and download) and the provision-record CSV.
      '/files': { target: 'http://127.0.0.1:4000', changeOrigin: true },
    },
  },
});
