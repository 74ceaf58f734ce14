import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, readLogSettings, type LogSettings } from '../../src/log.js';

function linesOf(settings: LogSettings, write: (l: ReturnType<typeof createLogger>) => void): string[] {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  write(createLogger(settings, { destination: out }));
  return text.split('\n').filter(Boolean);
}

describe('log settings', () => {
  test('a terminal gets pretty lines and anything else JSON, unless LOG_FORMAT says otherwise', () => {
    assert.equal(readLogSettings({}, true).settings.format, 'pretty');
    assert.equal(readLogSettings({}, false).settings.format, 'json');
    assert.equal(readLogSettings({ LOG_FORMAT: 'json' }, true).settings.format, 'json');
    assert.equal(readLogSettings({ LOG_FORMAT: 'PRETTY' }, false).settings.format, 'pretty');
    assert.equal(readLogSettings({ LOG_LEVEL: 'debug' }, false).settings.level, 'debug');
    assert.equal(readLogSettings({}, false).settings.level, 'info');
  });

  test('an unknown format or level is a problem naming the allowed values, and the default is used', () => {
    const { settings, problems } = readLogSettings({ LOG_FORMAT: 'xml', LOG_LEVEL: 'loud' }, false);
    assert.deepEqual(settings, { format: 'json', level: 'info' });
    assert.deepEqual(problems, [
      'LOG_FORMAT must be one of json, pretty, not "xml".',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud".',
    ]);
  });
});

describe('log lines', () => {
  test('pretty puts each event, an error included, on one line with its fields', () => {
    const lines = linesOf({ format: 'pretty', level: 'info' }, (log) => {
      log.info({ store: 'embedded' }, 'store open');
      log.error({ err: new Error('boom') }, 'could not post');
      log.debug('not shown at info');
    });
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO \(dbchange\): store open \{"store":"embedded"\}$/,
    );
    assert.match(lines[1]!, /ERROR \(dbchange\): could not post \{"err":\{"type":"Error","message":"boom"\}\}$/);
  });

  test('json writes one object per event with pino levels', () => {
    const lines = linesOf({ format: 'json', level: 'debug' }, (log) => {
      log.debug('details');
      log.warn({ channel: 'C1' }, 'channel not found');
    });
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      events.map((e) => [e.level, e.msg, e.name]),
      [
        [20, 'details', 'dbchange'],
        [40, 'channel not found', 'dbchange'],
      ],
    );
  });
});
