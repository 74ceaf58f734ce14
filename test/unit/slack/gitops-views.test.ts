// What the git door shows: a commit linked on GitHub and GitLab, and held files with their buttons.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inferType } from '../../../src/app/gitops.js';
import { commitUrl } from '../../../src/gitops/repo.js';
import { commitLine, gitopsReportMessage, heldDecidedBlocks, heldRefOf } from '../../../src/slack/views/gitops.js';
import { checkMessageArgs } from '../../support/slack/message-args.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('GitOps in Slack', () => {
  test('a commit of a GitHub or GitLab repository links its short sha to the commit; others show it plain', () => {
    const github = commitUrl('https://github.com/acme/app.git', SHA);
    assert.equal(
      commitLine({ sha: SHA, author: 'Ann <Dev>', subject: 'Add *accounts*', ...(github ? { url: github } : {}) }),
      `<https://github.com/acme/app/commit/${SHA}|\`0123456\`> Ann &lt;Dev&gt;: Add *accounts*`,
    );
    const gitlab = commitUrl('git@gitlab.com:acme/db/app.git', SHA);
    assert.match(
      commitLine({ sha: SHA, author: 'a', subject: 's', url: gitlab! }),
      /^<https:\/\/gitlab\.com\/acme\/db\/app\/-\/commit\//,
    );
    assert.equal(commitLine({ sha: SHA, author: 'a', subject: 's' }), '`0123456` a: s');
  });

  test('each held file has Apply anyway and Skip for its version; a decision replaces only its buttons', () => {
    const { blocks } = gitopsReportMessage({
      kind: 'out-of-order',
      repo: '/srv/git/app.git',
      repoKey: '/srv/git/app.git#main',
      files: ['0001', '0002'].map((version) => ({
        path: `bytebase/dev/app##${version}##ddl##x.sql`,
        version,
        database: 'app',
        environment: 'dev',
        highest: '0009',
      })),
    });
    const rejection = checkMessageArgs({ channel: 'C_X', text: 'held', blocks }, { needsChannel: true });
    assert.equal(rejection, undefined, JSON.stringify(rejection));
    const actions = blocks.filter((b) => b.type === 'actions') as {
      block_id: string;
      elements: { action_id: string; value: string }[];
    }[];
    assert.deepEqual(
      actions.map((a) => a.elements.map((e) => e.action_id)),
      [
        ['gitops_held_apply', 'gitops_held_skip'],
        ['gitops_held_apply:1', 'gitops_held_skip:1'],
      ],
    );
    const second = actions[1]!;
    assert.deepEqual(heldRefOf(second.elements[0]!.value), {
      repo: '/srv/git/app.git#main',
      database: 'app',
      environment: 'dev',
      version: '0002',
    });
    assert.equal(heldRefOf('{"repo":1}'), undefined);
    const after = heldDecidedBlocks(blocks, second.block_id, { applied: false, by: 'U_ADMIN' });
    assert.equal(after.filter((b) => b.type === 'actions').length, 1);
    assert.match(JSON.stringify(after), /<@U_ADMIN> chose \*Skip\*/);
  });

  test('a template without TYPE reads DML from statements that only change data, else DDL', () => {
    assert.equal(inferType('INSERT INTO t VALUES (1);\nUPDATE t SET a = 2 WHERE id = 1;'), 'dml');
    assert.equal(inferType('WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x);'), 'dml');
    assert.equal(inferType('CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);'), 'ddl');
    assert.equal(inferType(''), 'ddl');
  });
});
