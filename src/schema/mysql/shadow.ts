/** Temporary databases on a MySQL dev instance. */
import { withDatabase } from '../connection.js';
import { connectMysql } from '../../targets/mysql/connect.js';
import { quoteIdent } from './quote.js';

/** Create database `name` on the server of `devUrl` and return its URL. */
export async function createMysqlDatabase(devUrl: string, name: string): Promise<string> {
  const admin = await connectMysql(devUrl);
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.close();
  }
  return withDatabase(devUrl, name);
}

/** Drop database `name` on the server of `devUrl`. */
export async function dropMysqlDatabase(devUrl: string, name: string): Promise<void> {
  const admin = await connectMysql(devUrl);
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  } finally {
    await admin.close();
  }
}
