// The reserved words review calls a syntax error when unquoted as a name, held against the real
// MariaDB server in a fresh database: each is refused as a table name there, and each MySQL 8
// word MariaDB accepts (without IGNORE_SPACE, which makes function names reserved) is left alone.
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import mysql from 'mysql2/promise';
import { freshMysql, type FreshDatabase } from '../../support/db.js';
import { MARIADB_UNRESERVED, MYSQL_RESERVED } from '../../../src/review/rules/mysql-reserved.js';
import { reviewScript } from '../../../src/review/index.js';

describe('MySQL reserved words against MariaDB', () => {
  let db: FreshDatabase;
  let c: mysql.Connection;
  before(async () => {
    db = await freshMysql('reserved');
    c = await mysql.createConnection(db.url);
    // MariaDB's own default: function names followed by a space stay names.
    await c.query("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'");
  });
  after(async () => {
    await c.end();
    await db.drop();
  });

  /** True when MariaDB creates a table of this unquoted name. */
  async function acceptsName(word: string): Promise<boolean> {
    try {
      await c.query(`CREATE TABLE ${word} (id int)`);
      await c.query(`DROP TABLE \`${word}\``);
      return true;
    } catch {
      return false;
    }
  }

  it('refuses every word review calls reserved, and accepts the MySQL 8 words listed as not reserved there', async () => {
    const wrong: string[] = [];
    for (const word of MYSQL_RESERVED) {
      if (!word) continue;
      const accepted = await acceptsName(word);
      if (accepted !== MARIADB_UNRESERVED.has(word))
        wrong.push(`${word}: MariaDB ${accepted ? 'accepts' : 'refuses'} it`);
    }
    assert.deepEqual(wrong, []);
  });

  it('reviews CREATE TABLE of each name MariaDB accepts without a syntax error', () => {
    for (const word of MARIADB_UNRESERVED) {
      const { findings } = reviewScript({
        engine: 'mysql',
        sql: `CREATE TABLE ${word} (id int)`,
        policy: { rules: [] },
      });
      assert.ok(
        !findings.some((f) => f.rule === 'syntax-error'),
        `${word}: ${findings.map((f) => f.message).join('; ')}`,
      );
    }
  });
});
