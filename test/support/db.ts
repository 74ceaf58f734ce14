// Fresh databases on the real local servers: each test (file) makes its own and drops it after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Engine } from '../../src/domain/engine.js';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface FreshDatabase {
  engine: Engine;
  name: string;
  url: string;
  drop(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `t_${prefix
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function freshPostgres(prefix = 'db'): Promise<FreshDatabase> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    engine: 'postgres',
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function freshMysql(prefix = 'db'): Promise<FreshDatabase> {
  const name = uniqueName(prefix);
  const admin = await mysql.createConnection(MYSQL_ADMIN_URL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await admin.end();
  }
  return {
    engine: 'mysql',
    name,
    url: withDatabase(MYSQL_ADMIN_URL, name),
    async drop() {
      const c = await mysql.createConnection(MYSQL_ADMIN_URL);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

export function freshDatabase(engine: Engine, prefix?: string): Promise<FreshDatabase> {
  return engine === 'postgres' ? freshPostgres(prefix) : freshMysql(prefix);
}
