/** Temporary databases on a PostgreSQL dev instance. */
import { withDatabase } from '../connection.js';
import { connectPostgres } from '../../targets/postgres/connect.js';
import { quoteIdent } from './quote.js';

/** Create database `name` on the server of `devUrl` and return its URL. */
export async function createPostgresDatabase(devUrl: string, name: string): Promise<string> {
  const admin = await connectPostgres(devUrl);
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.close();
  }
  return withDatabase(devUrl, name);
}

/** Drop database `name` on the server of `devUrl`, closing anything still connected to it. */
export async function dropPostgresDatabase(devUrl: string, name: string): Promise<void> {
  const admin = await connectPostgres(devUrl);
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}
