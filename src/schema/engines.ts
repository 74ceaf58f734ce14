/** The I/O each engine brings to the schema engine, looked up by engine name. */
import type { Engine } from '../domain/engine.js';
import type { QueryFn } from '../targets/types.js';
import type { SchemaConnection } from './connection.js';
import type { SchemaModel } from './model.js';
import { connectMysql } from '../targets/mysql/connect.js';
import { introspectMysql } from './mysql/introspect.js';
import { createMysqlDatabase, dropMysqlDatabase } from './mysql/shadow.js';
import { connectPostgres } from '../targets/postgres/connect.js';
import { introspectPostgres } from './postgres/introspect.js';
import { createPostgresDatabase, dropPostgresDatabase } from './postgres/shadow.js';

export interface EngineIo {
  connect(url: string): Promise<SchemaConnection>;
  introspect(query: QueryFn): Promise<SchemaModel>;
  createDatabase(devUrl: string, name: string): Promise<string>;
  dropDatabase(devUrl: string, name: string): Promise<void>;
  /** Statements an SDL file may not run in a shadow database: they would leave it. */
  forbidden: RegExp;
}

const IO: Record<Engine, EngineIo> = {
  postgres: {
    connect: (url) => connectPostgres(url),
    introspect: introspectPostgres,
    createDatabase: createPostgresDatabase,
    dropDatabase: dropPostgresDatabase,
    forbidden: /^(?:(?:CREATE|DROP|ALTER)\s+DATABASE\b|\\)/i,
  },
  mysql: {
    connect: connectMysql,
    introspect: introspectMysql,
    createDatabase: createMysqlDatabase,
    dropDatabase: dropMysqlDatabase,
    forbidden: /^(?:USE\b|(?:CREATE|DROP|ALTER)\s+(?:DATABASE|SCHEMA)\b)/i,
  },
};

/** The I/O of `engine`. */
export function engineIo(engine: Engine): EngineIo {
  return IO[engine];
}
