import { createPgliteDatabase } from '../src/db/pglite.js';
import { coreSuite } from './helpers/core-suite.js';

coreSuite('PGlite', async () => {
  const db = await createPgliteDatabase(undefined);
  return { db, close: () => db.close() };
});
