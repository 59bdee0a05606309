import { openDatabase } from '../../src/db/data-source';
import { ensureDatabaseExists } from '../../src/db/ensure-database';
import { ensureConsoleBuilt } from './console-build';
import {
  databaseUrlFor,
  newRunName,
  TEST_DATABASE_URL_VAR,
  TEST_QUEUE_PREFIX_VAR,
} from './test-environment';

/** Creates this run's database and migrates it once; test files share it with their own data. */
export default async function globalSetup(): Promise<void> {
  ensureConsoleBuilt();
  const name = newRunName();
  const url = databaseUrlFor(name);
  await ensureDatabaseExists(url);
  const dataSource = await openDatabase(url, 2);
  await dataSource.destroy();
  process.env[TEST_DATABASE_URL_VAR] = url;
  process.env[TEST_QUEUE_PREFIX_VAR] = name;
}
