// Exact MySQL DDL for each object kind: one (from, to) → statements row per case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SchemaModel, Table } from '../../../src/schema/index.js';
import { diffSchemas, renderDdl } from '../../../src/schema/index.js';
import { col, model, mysqlTable } from './builders.js';

const my = (...tables: Table[]): SchemaModel => model('mysql', { tables });
const PK = {
  name: 'PRIMARY',
  kind: 'primary-key' as const,
  definition: 'PRIMARY KEY (`id`)',
  columns: ['id'],
  references: null,
};
const id = col('id', 'int(11)', { nullable: false });
const aiId = { ...id, autoIncrement: true };
const routine = {
  schema: '',
  name: 'f',
  kind: 'function' as const,
  signature: '`x` int(11)',
  returns: 'int(11)',
  definition: 'CREATE FUNCTION `f`(`x` int(11)) RETURNS int(11)\nDETERMINISTIC\nRETURN x + 1',
};

const cases: { name: string; from: SchemaModel; to: SchemaModel; sql: string[]; destructive?: boolean[] }[] = [
  {
    name: 'a new table with columns, keys, a check and options',
    from: my(),
    to: my(
      mysqlTable(
        't',
        [
          aiId,
          col('n', 'varchar(20)', { collation: 'utf8mb4_bin', default: "'x'", comment: 'name' }),
          col('at', 'timestamp', { nullable: false, default: 'current_timestamp()', onUpdate: 'current_timestamp()' }),
          col('g', 'int(11)', { generated: { expression: '`id` * 2', stored: false } }),
        ],
        {
          constraints: [
            PK,
            { name: 'n_ok', kind: 'check', definition: "CHECK (`n` <> '')", columns: [], references: null },
          ],
          indexes: [{ name: 'n_uq', unique: true, definition: 'UNIQUE KEY `n_uq` (`n`)' }],
          comment: 'the t',
        },
      ),
    ),
    sql: [
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `n` varchar(20) COLLATE utf8mb4_bin DEFAULT 'x' COMMENT 'name',\n  `at` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n  `g` int(11) GENERATED ALWAYS AS (`id` * 2) VIRTUAL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `n_uq` (`n`),\n  CONSTRAINT `n_ok` CHECK (`n` <> '')\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='the t'",
    ],
  },
  {
    name: 'a column added in the middle keeps its place',
    from: my(mysqlTable('t', [col('a', 'int(11)'), col('c', 'int(11)')])),
    to: my(mysqlTable('t', [col('a', 'int(11)'), col('b', 'int(11)'), col('c', 'int(11)')])),
    sql: ['ALTER TABLE `t` ADD COLUMN `b` int(11) DEFAULT NULL AFTER `a`'],
  },
  {
    name: 'a column added first',
    from: my(mysqlTable('t', [col('a', 'int(11)')])),
    to: my(mysqlTable('t', [col('z', 'int(11)'), col('a', 'int(11)')])),
    sql: ['ALTER TABLE `t` ADD COLUMN `z` int(11) DEFAULT NULL FIRST'],
  },
  {
    name: 'a narrowing modify is destructive',
    from: my(mysqlTable('t', [col('a', 'varchar(100)')])),
    to: my(mysqlTable('t', [col('a', 'varchar(10)', { nullable: false })])),
    sql: ['ALTER TABLE `t` MODIFY COLUMN `a` varchar(10) NOT NULL'],
    destructive: [true],
  },
  {
    name: 'a column dropped',
    from: my(mysqlTable('t', [col('a', 'int(11)'), col('b', 'int(11)')])),
    to: my(mysqlTable('t', [col('a', 'int(11)')])),
    sql: ['ALTER TABLE `t` DROP COLUMN `b`'],
    destructive: [true],
  },
  {
    name: 'table options changed in one statement',
    from: my(mysqlTable('t', [col('a', 'int(11)')], { comment: 'x' })),
    to: my(
      mysqlTable('t', [col('a', 'int(11)')], {
        options: { engine: 'MyISAM', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' },
      }),
    ),
    sql: ["ALTER TABLE `t` ENGINE=MyISAM COMMENT=''"],
  },
  {
    name: 'a new table collation restates the text columns that follow it',
    from: my(mysqlTable('t', [col('a', 'varchar(10)'), col('n', 'int(11)')])),
    to: my(
      mysqlTable('t', [col('a', 'varchar(10)'), col('n', 'int(11)')], {
        options: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
      }),
    ),
    sql: [
      'ALTER TABLE `t` DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
      'ALTER TABLE `t` MODIFY COLUMN `a` varchar(10) DEFAULT NULL',
    ],
  },
  {
    name: 'explicit table options: a new one is set, a changed one set again, a dropped one reset',
    from: my(
      mysqlTable('t', [id], {
        options: {
          engine: 'InnoDB',
          charset: 'utf8mb4',
          collation: 'utf8mb4_general_ci',
          createOptions: ['stats_persistent=1', 'row_format=DYNAMIC', 'key_block_size=8'],
        },
      }),
    ),
    to: my(
      mysqlTable('t', [id], {
        options: {
          engine: 'InnoDB',
          charset: 'utf8mb4',
          collation: 'utf8mb4_general_ci',
          createOptions: ['checksum=1', 'row_format=COMPRESSED'],
        },
      }),
    ),
    sql: ['ALTER TABLE `t` CHECKSUM=1 ROW_FORMAT=COMPRESSED STATS_PERSISTENT=DEFAULT KEY_BLOCK_SIZE=0'],
  },
  {
    name: 'a kept auto-increment column loses it while its primary key is rebuilt, and gets it back after',
    from: my(mysqlTable('t', [aiId, col('b', 'int(11)', { nullable: false })], { constraints: [PK] })),
    to: my(
      mysqlTable('t', [aiId, col('b', 'int(11)', { nullable: false })], {
        constraints: [{ ...PK, definition: 'PRIMARY KEY (`id`,`b`)', columns: ['id', 'b'] }],
      }),
    ),
    sql: [
      'ALTER TABLE `t` MODIFY COLUMN `id` int(11) NOT NULL',
      'ALTER TABLE `t` DROP PRIMARY KEY',
      'ALTER TABLE `t` ADD PRIMARY KEY (`id`,`b`)',
      'ALTER TABLE `t` MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT',
    ],
  },
  {
    name: 'auto-increment is removed before its primary key is dropped',
    from: my(mysqlTable('t', [aiId], { constraints: [PK] })),
    to: my(mysqlTable('t', [id])),
    sql: ['ALTER TABLE `t` MODIFY COLUMN `id` int(11) NOT NULL', 'ALTER TABLE `t` DROP PRIMARY KEY'],
  },
  {
    name: 'a new auto-increment column gets it after its key exists, and the MODIFY keeps it in its place',
    from: my(mysqlTable('t', [col('a', 'int(11)')])),
    to: my(mysqlTable('t', [aiId, col('a', 'int(11)')], { constraints: [PK] })),
    sql: [
      'ALTER TABLE `t` ADD COLUMN `id` int(11) NOT NULL FIRST',
      'ALTER TABLE `t` ADD PRIMARY KEY (`id`)',
      'ALTER TABLE `t` MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT FIRST',
    ],
  },
  {
    name: 'a new auto-increment column after another is modified AFTER that column',
    from: my(mysqlTable('t', [col('a', 'int(11)')])),
    to: my(mysqlTable('t', [col('a', 'int(11)'), aiId], { constraints: [PK] })),
    sql: [
      'ALTER TABLE `t` ADD COLUMN `id` int(11) NOT NULL AFTER `a`',
      'ALTER TABLE `t` ADD PRIMARY KEY (`id`)',
      'ALTER TABLE `t` MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT AFTER `a`',
    ],
  },
  {
    name: 'index, check and foreign key changes',
    from: my(
      mysqlTable('p', [id], { constraints: [PK] }),
      mysqlTable('c', [col('p', 'int(11)')], {
        indexes: [{ name: 'c_p', unique: false, definition: 'KEY `c_p` (`p`)' }],
        constraints: [
          {
            name: 'c_p',
            kind: 'foreign-key',
            definition: 'FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE RESTRICT ON UPDATE RESTRICT',
            columns: ['p'],
            references: { schema: '', table: 'p', columns: ['id'] },
          },
        ],
      }),
    ),
    to: my(
      mysqlTable('p', [id], { constraints: [PK] }),
      mysqlTable('c', [col('p', 'int(11)')], {
        indexes: [{ name: 'c_p', unique: false, definition: 'KEY `c_p` (`p`)' }],
        constraints: [
          {
            name: 'c_p',
            kind: 'foreign-key',
            definition: 'FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT',
            columns: ['p'],
            references: { schema: '', table: 'p', columns: ['id'] },
          },
          { name: 'p_pos', kind: 'check', definition: 'CHECK (`p` > 0)', columns: [], references: null },
        ],
      }),
    ),
    sql: [
      'ALTER TABLE `c` DROP FOREIGN KEY `c_p`',
      'ALTER TABLE `c` ADD CONSTRAINT `p_pos` CHECK (`p` > 0)',
      'ALTER TABLE `c` ADD CONSTRAINT `c_p` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT',
    ],
  },
  {
    name: 'an index dropped and one added',
    from: my(
      mysqlTable('t', [col('a', 'int(11)')], {
        indexes: [{ name: 'old', unique: false, definition: 'KEY `old` (`a`)' }],
      }),
    ),
    to: my(
      mysqlTable('t', [col('a', 'int(11)')], {
        indexes: [{ name: 'ft', unique: false, definition: 'FULLTEXT KEY `ft` (`a`)' }],
      }),
    ),
    sql: ['ALTER TABLE `t` DROP INDEX `old`', 'ALTER TABLE `t` ADD FULLTEXT KEY `ft` (`a`)'],
    destructive: [true, false],
  },
  {
    name: 'a view with options',
    from: my(mysqlTable('t', [col('a', 'int(11)')])),
    to: {
      ...my(mysqlTable('t', [col('a', 'int(11)')])),
      views: [
        {
          schema: '',
          name: 'v',
          definition: 'select `t`.`a` AS `a` from `t`',
          options: ['algorithm=MERGE', 'security=INVOKER', 'check=CASCADED'],
        },
      ],
    },
    sql: [
      'CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `v` AS select `t`.`a` AS `a` from `t` WITH CASCADED CHECK OPTION',
    ],
  },
  {
    name: 'a changed function is dropped and created',
    from: { ...my(), routines: [routine] },
    to: { ...my(), routines: [{ ...routine, definition: routine.definition.replace('x + 1', 'x + 2') }] },
    sql: ['DROP FUNCTION `f`', routine.definition.replace('x + 1', 'x + 2')],
  },
  {
    name: 'a trigger dropped',
    from: {
      ...my(mysqlTable('t', [col('a', 'int(11)')])),
      triggers: [
        {
          schema: '',
          table: 't',
          name: 'tg',
          definition: 'CREATE TRIGGER `tg` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a = 1',
        },
      ],
    },
    to: my(mysqlTable('t', [col('a', 'int(11)')])),
    sql: ['DROP TRIGGER `tg`'],
    destructive: [true],
  },
];

describe('MySQL DDL', () => {
  for (const c of cases) {
    it(`${c.name} gives the exact statements`, () => {
      const changes = diffSchemas(c.from, c.to);
      assert.deepEqual(
        changes.map((x) => x.sql),
        c.sql,
      );
      if (c.destructive)
        assert.deepEqual(
          changes.map((x) => x.destructive),
          c.destructive,
        );
    });
  }
  it('equal models give no statements', () => {
    for (const c of cases) assert.deepEqual(diffSchemas(c.to, c.to), []);
  });

  it('the key a kept foreign key stands on is dropped in the statement that adds its replacement', () => {
    const fkOnP = {
      name: 'c_p',
      kind: 'foreign-key' as const,
      definition: 'FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE RESTRICT ON UPDATE RESTRICT',
      columns: ['p'],
      references: { schema: '', table: 'p', columns: ['id'] },
    };
    const parent = mysqlTable('p', [id], { constraints: [PK] });
    const child = (key: string, columns: string) =>
      mysqlTable('c', [col('p', 'int(11)'), col('q', 'int(11)')], {
        indexes: [{ name: key, unique: false, definition: `KEY \`${key}\` (${columns})` }],
        constraints: [fkOnP],
      });
    const script = renderDdl(diffSchemas(my(parent, child('c_p', '`p`')), my(parent, child('c_by_p', '`p`,`q`'))));
    assert.equal(
      script,
      '-- destructive (drop-index): check that nothing needed is lost\n' +
        'ALTER TABLE `c` ADD KEY `c_by_p` (`p`,`q`),\n    DROP INDEX `c_p`;\n',
    );
  });

  it('a check written on a column (MariaDB) is dropped by stating the column again without it', () => {
    const state = col('state', 'varchar(20)');
    const check = {
      name: 'state',
      kind: 'check' as const,
      definition: "CHECK (`state` in ('a','b'))",
      columns: [],
      references: null,
    };
    const before = my(mysqlTable('o', [id, state], { constraints: [check], columnChecks: ['state'] }));
    assert.deepEqual(
      diffSchemas(before, my(mysqlTable('o', [id, state]))).map((c) => c.sql),
      ['ALTER TABLE `o` MODIFY COLUMN `state` varchar(20) DEFAULT NULL'],
    );
    // Changing the column states it again, which drops the check: it is added back.
    const wider = { ...state, type: 'varchar(40)' };
    assert.deepEqual(
      diffSchemas(before, my(mysqlTable('o', [id, wider], { constraints: [check], columnChecks: ['state'] }))).map(
        (c) => c.sql,
      ),
      [
        'ALTER TABLE `o` MODIFY COLUMN `state` varchar(40) DEFAULT NULL',
        "ALTER TABLE `o` ADD CONSTRAINT `state` CHECK (`state` in ('a','b'))",
      ],
    );
    // Dropping the column drops its check with it.
    assert.deepEqual(
      diffSchemas(before, my(mysqlTable('o', [id]))).map((c) => c.sql),
      ['ALTER TABLE `o` DROP COLUMN `state`'],
    );
  });

  it('a key dropped with no foreign key to keep stays a statement of its own, before the adds', () => {
    const before = my(
      mysqlTable('t', [col('a', 'int(11)')], {
        indexes: [{ name: 'ka', unique: false, definition: 'KEY `ka` (`a`)' }],
      }),
    );
    const after = my(
      mysqlTable('t', [col('a', 'int(11)')], {
        indexes: [{ name: 'kb', unique: false, definition: 'KEY `kb` (`a`)' }],
      }),
    );
    assert.equal(
      renderDdl(diffSchemas(before, after)),
      '-- destructive (drop-index): check that nothing needed is lost\nALTER TABLE `t` DROP INDEX `ka`;\nALTER TABLE `t` ADD KEY `kb` (`a`);\n',
    );
  });
});
