import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../../src/config/load.js';
import { isDbchangeError } from '../../../src/errors.js';
import { DEFAULT_GUARDS } from '../../../src/config/model.js';

const base = `channel: C_CHANGES
environments:
  - id: dev
    rollout: automatic
  - id: prod
    approvers: [U_DBA]
    releasers: [U_REL]
    rollout: manual
databases:
  - name: app
    environment: dev
    engine: postgres
    url: postgres://postgres:\${PGPASS}@127.0.0.1:5432/app_dev
`;

function problems(text: string, env: Record<string, string> = { PGPASS: 'x' }): string {
  try {
    parseConfig(text, 'dbchange.config.yaml', env);
  } catch (e) {
    if (!isDbchangeError(e)) throw e;
    return e.message;
  }
  return assert.fail('expected the config to be refused');
}

describe('config loading', () => {
  test('a valid config resolves defaults and replaces ${VAR} from the environment', () => {
    const c = parseConfig(base, 'x.yaml', { PGPASS: 's3cret' });
    assert.equal(c.databases[0]!.url, 'postgres://postgres:s3cret@127.0.0.1:5432/app_dev');
    assert.equal(c.environments[1]!.requiredApprovals, 1);
    assert.equal(c.environments[0]!.requiredApprovals, 0);
    assert.equal(c.rolloutConcurrency, 4);
  });

  test('waves and waveDelay are read per environment, and only the last environment is held by drift by default', () => {
    const c = parseConfig(
      base.replace('rollout: manual', 'rollout: manual\n    waves: [1, 10%, rest]\n    waveDelay: 10 minutes'),
      'x.yaml',
      { PGPASS: 's' },
    );
    assert.deepEqual(c.environments[1]!.waves, [1, '10%', 'rest']);
    assert.equal(c.environments[1]!.waveDelayMs, 600_000);
    assert.equal(c.environments[0]!.waves, undefined);
    assert.deepEqual(
      c.environments.map((e) => e.holdOnDrift),
      [false, true],
    );
  });

  test('waves with rest before the end, a percentage over 100 or a waveDelay that is no interval are refused', () => {
    const text = problems(
      base
        .replace('rollout: manual', 'rollout: manual\n    waves: [rest, 1]\n    waveDelay: soon')
        .replace('rollout: automatic', 'rollout: automatic\n    waves: [150%]'),
    );
    assert.match(text, /environments\[1\]\.waves\[0\]: rest takes every database left, so it comes last/);
    assert.match(text, /environments\[1\]\.waveDelay: "soon" is not an interval/);
    assert.match(text, /environments\[0\]\.waves\[0\]: .*a percentage like 10%/);
  });

  test('approvalExpires is read as a period; one that is no interval is refused naming key and line', () => {
    const c = parseConfig(base.replace('rollout: manual', 'rollout: manual\n    approvalExpires: 7 days'), 'x.yaml', {
      PGPASS: 's',
    });
    assert.equal(c.environments[1]!.approvalExpiresMs, 7 * 86_400_000);
    assert.equal(c.environments[0]!.approvalExpiresMs, undefined);
    assert.match(
      problems(base.replace('rollout: manual', 'rollout: manual\n    approvalExpires: a week')),
      /:\d+ environments\[1\]\.approvalExpires: "a week" is not an interval; write e\.g\. 7 days/,
    );
  });

  test('an unset variable is named with the key and line that use it', () => {
    assert.match(
      problems(base, {}),
      /dbchange\.config\.yaml:13 databases\[0\]\.url: environment variable PGPASS is not set/,
    );
  });

  test('a wrong enum value names the key, its line and the allowed values', () => {
    assert.match(
      problems(base.replace('rollout: manual', 'rollout: manul')),
      /:8 environments\[1\]\.rollout: must be one of automatic, manual, scheduled/,
    );
  });

  test('a database in an unknown environment is refused with the known ones', () => {
    assert.match(
      problems(base.replace('environment: dev', 'environment: qa')),
      /databases\[0\]\.environment: unknown environment qa; known: dev, prod/,
    );
  });

  test('unknown keys are refused rather than silently ignored', () => {
    assert.match(problems(`${base}    colour: red\n`), /unknown key colour/);
  });

  test('more required approvals than approvers is refused', () => {
    assert.match(
      problems(base.replace('approvers: [U_DBA]', 'approvers: [U_DBA]\n    requiredApprovals: 2')),
      /requires 2 approvals but only 1 approver/,
    );
  });

  test('an unknown maintenance window time zone is refused with what to use', () => {
    const text = base.replace(
      '    rollout: manual\n',
      '    rollout: manual\n    maintenanceWindow: { timezone: Mars/Olympus, start: "22:00", end: "06:00" }\n',
    );
    assert.match(
      problems(text),
      /:9 environments\[1\]\.maintenanceWindow\.timezone: unknown time zone "Mars\/Olympus"; use an IANA name/,
    );
  });

  test('shape errors do not hide reference errors elsewhere: every problem is listed, in line order', () => {
    const text = base
      .replace('rollout: automatic', 'rollout: automatic\n    colour: red')
      .replace('environment: dev', 'environment: qa')
      .replace('    releasers: [U_REL]\n', '');
    const lines = problems(text).split('\n').slice(1);
    assert.deepEqual(
      lines.map((l) => l.trim().replace(/^dbchange\.config\.yaml:\d+ /, '')),
      [
        'environments[0]: unknown key colour',
        'environments[1].releasers: rollout manual needs at least one releaser',
        'databases[0].environment: unknown environment qa; known: dev, prod',
      ],
    );
  });

  test('every environment gets the safe timeouts and lock watch by default', () => {
    const c = parseConfig(base, 'x.yaml', { PGPASS: 'x' });
    for (const e of c.environments) {
      assert.deepEqual(e.timeouts, { lockMs: 10_000, statementMs: 3_600_000 });
      assert.equal(e.lockWatchMs, 3_000);
      assert.deepEqual({ timeouts: e.timeouts, lockWatchMs: e.lockWatchMs }, DEFAULT_GUARDS);
    }
  });

  test('timeouts and the lock watch are read per environment; lockWatch: off turns the notice off', () => {
    const text = base.replace(
      '    rollout: manual\n',
      '    rollout: manual\n    timeouts: { lock: 5 seconds, statement: 30 minutes }\n    lockWatch: "off"\n',
    );
    const prod = parseConfig(text, 'x.yaml', { PGPASS: 'x' }).environments[1]!;
    assert.deepEqual(prod.timeouts, { lockMs: 5_000, statementMs: 1_800_000 });
    assert.equal(prod.lockWatchMs, null);
  });

  test('a timeout that is not an interval, or a lock watch past the lock timeout, names the key and line', () => {
    const text = base.replace(
      '    rollout: manual\n',
      '    rollout: manual\n    timeouts:\n      lock: 2 seconds\n      statement: soon\n    lockWatch: 5 seconds\n',
    );
    const message = problems(text);
    assert.match(
      message,
      /:11 environments\[1\]\.timeouts\.statement: "soon" is not an interval; write e\.g\. 30 minutes/,
    );
    assert.match(message, /:12 environments\[1\]\.lockWatch: must be shorter than timeouts\.lock \(2 seconds\)/);
    assert.match(
      problems(base.replace('    rollout: manual\n', '    rollout: manual\n    timeouts: { lock: 10 }\n')),
      /:9 environments\[1\]\.timeouts\.lock: an interval like "10 seconds" or "30 minutes"/,
    );
  });

  test('broken YAML reports its line', () => {
    assert.match(problems('channel: [C_X\n'), /dbchange\.config\.yaml:\d/);
  });

  test('the shipped example config is valid', () => {
    const text = readFileSync(new URL('../../../dbchange.config.example.yaml', import.meta.url), 'utf8');
    const c = parseConfig(text, 'dbchange.config.example.yaml', { POSTGRES_PASSWORD: 'x', MYSQL_ROOT_PASSWORD: 'y' });
    assert.deepEqual(
      c.environments.map((e) => e.id),
      ['dev', 'staging', 'prod'],
    );
  });
});
