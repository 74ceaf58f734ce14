// docker-compose.yml must run the example config as shipped: its database URLs name compose
// services, the databases they name are created there, and their ${VAR}s reach the bot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, { environment?: Record<string, string | null>; volumes?: string[] }>;
};
const exampleText = read('dbchange.config.example.yaml');
const bot = compose.services.dbchange!;

/** The value compose gives a `${VAR:-default}` when VAR is unset on the host. */
function composeDefault(value: string | null | undefined): string | undefined {
  return /^\$\{[A-Z_]+:-(.*)\}$/.exec(value ?? '')?.[1];
}

test('every ${VAR} of the example config is passed to the bot by docker-compose', () => {
  const used = exampleText
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');
  const vars = [...used.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]!);
  assert.ok(vars.length > 0);
  for (const v of new Set(vars)) {
    assert.ok(bot.environment && v in bot.environment, `docker-compose.yml does not pass ${v} to dbchange`);
  }
});

test('the example databases are on compose services that create them, with the same password', () => {
  const env = Object.fromEntries(
    Object.entries(bot.environment ?? {}).map(([k, v]) => [k, composeDefault(v) ?? String(v ?? '')]),
  );
  const config = parseConfig(exampleText, 'dbchange.config.example.yaml', env);
  const pgInit = read('docker/postgres-init.sql');
  for (const db of config.databases) {
    const url = new URL(db.url);
    const service = compose.services[url.hostname];
    assert.ok(service, `${db.name}@${db.environment}: no compose service "${url.hostname}"`);
    const name = url.pathname.slice(1);
    if (db.engine === 'postgres') {
      assert.equal(url.port, '5432');
      assert.equal(url.password, composeDefault(service.environment?.POSTGRES_PASSWORD));
      assert.match(pgInit, new RegExp(`CREATE DATABASE ${name};`), `${name} is not created by postgres-init.sql`);
      assert.ok(service.volumes?.some((v) => v.startsWith('./docker/postgres-init.sql:/docker-entrypoint-initdb.d/')));
    } else {
      assert.equal(url.port, '3306');
      assert.equal(url.password, composeDefault(service.environment?.MYSQL_ROOT_PASSWORD));
      assert.equal(service.environment?.MYSQL_DATABASE, name);
    }
  }
});
