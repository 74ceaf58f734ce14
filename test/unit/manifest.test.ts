// manifest.json is pasted into Slack's "create app from manifest" dialog, so it must satisfy
// Slack's published schema (a copy lives in test/fixtures so CI needs no network).
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

const fixtureSchema = new URL('../fixtures/slack/manifest.schema.1.0.0.json', import.meta.url);
// CI clones the repo with shared/ beside it; when it is there, the copy must not have drifted.
const sharedSchema = new URL('../../../shared/slack/manifest.schema.1.0.0.json', import.meta.url);
const manifestPath = new URL('../../manifest.json', import.meta.url);

function readJson(url: URL): any {
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8'));
}

function validatorFor(schemaUrl: URL) {
  // The schema uses Slack's own keywords (regex, requires, _note); strict mode would refuse them.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile(readJson(schemaUrl));
}

const manifest = readJson(manifestPath);
const USAGE_SUBCOMMANDS = [
  'help',
  'status <issue>',
  'list',
  'history <db>',
  'drift <db>',
  'baseline <db>',
  'sessions <db>',
];

test('manifest.json is valid against Slack manifest schema 1.0.0', () => {
  const schemas = [fixtureSchema, ...(existsSync(fileURLToPath(sharedSchema)) ? [sharedSchema] : [])];
  for (const schema of schemas) {
    const validate = validatorFor(schema);
    const ok = validate(manifest);
    assert.equal(ok, true, `${fileURLToPath(schema)}: ${JSON.stringify(validate.errors, null, 2)}`);
  }
});

test('the schema check rejects a manifest Slack would refuse', () => {
  const validate = validatorFor(fixtureSchema);
  const broken = structuredClone(manifest);
  broken.display_information.name = '';
  broken.features.slash_commands[0].command = 'dbchange';
  assert.equal(validate(broken), false);
  const paths = (validate.errors ?? []).map((e) => e.instancePath);
  assert.ok(paths.includes('/display_information/name'), JSON.stringify(paths));
  assert.ok(paths.includes('/features/slash_commands/0/command'), JSON.stringify(paths));
});

test('the /dbchange command points at the events URL and its usage hint lists every subcommand', () => {
  const commands = manifest.features.slash_commands;
  assert.equal(commands.length, 1);
  const [command] = commands;
  assert.equal(command.command, '/dbchange');
  assert.equal(command.url, 'https://dbchange.example.com/slack/events');
  assert.equal(command.should_escape, false);
  for (const sub of USAGE_SUBCOMMANDS) assert.ok(command.usage_hint.includes(sub), `usage hint misses "${sub}"`);
});

test("the default mode is HTTP: interactivity uses the command's request URL and socket mode is off", () => {
  assert.equal(manifest.display_information.name, 'dbchange');
  assert.equal(manifest.features.bot_user.display_name, 'dbchange');
  assert.deepEqual(manifest.settings.interactivity, {
    is_enabled: true,
    request_url: manifest.features.slash_commands[0].url,
  });
  // With socket mode on, Slack ignores the request URLs and the bot (without SLACK_APP_TOKEN) hears nothing.
  assert.equal(manifest.settings.socket_mode_enabled, false);
});

test('the README says how to switch to Socket Mode', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  assert.match(readme, /### Socket Mode/);
  assert.match(readme, /Enable Socket Mode/);
  assert.match(readme, /SLACK_APP_TOKEN/);
});

test('the bot asks for exactly the scopes it uses', () => {
  assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [
    'channels:join',
    'channels:read',
    'chat:write',
    'chat:write.public',
    'commands',
    'files:read',
    'groups:read',
    'usergroups:read',
    'users:read',
  ]);
  assert.equal(manifest.oauth_config.scopes.user, undefined);
});
