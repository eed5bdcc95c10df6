import { createPostgresDatabase } from '../src/db/postgres.js';
import { coreSuite } from './helpers/core-suite.js';
import { createTestDatabase } from './helpers/postgres.js';

coreSuite('PostgreSQL', async () => {
  const database = await createTestDatabase('core');
  const db = createPostgresDatabase({ url: database.url, max: 5 });
  return {
    db,
    close: async () => {
      await db.close();
      await database.drop();
    },
  };
});
