import { fileURLToPath } from 'node:url';

// Located from this module, which sits at the root of src/ level with the entry points: the same relative paths
// then hold under src/ (tsx) and under dist/, where the build bundles everything into main.js, cli.js and chunks
// at the root of dist/ (the image runs /app/dist/main.js with /app/migrations next to /app/dist).

/** The common-password list, copied next to the bundle by the build. */
export const commonPasswordsFile = new URL('./auth/common-passwords.txt', import.meta.url);

/** The numbered SQL migrations shipped with this build. */
export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));
