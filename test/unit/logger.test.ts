import { Writable } from 'node:stream';
import { createLogger, resolveLogFormat } from '../../src/logger';

function collect() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe('log format', () => {
  it('when LOG_FORMAT is auto, then a terminal gets pretty lines and a pipe gets JSON', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
  });

  it('when LOG_FORMAT is json or pretty, then that is used whatever stdout is', () => {
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('when the format is json, then each line is one JSON object with the Authorization header redacted', () => {
    const { lines, destination } = collect();
    const logger = createLogger('info', { format: 'json', destination });
    logger.info({ req: { headers: { authorization: 'Bearer oit_secret' } } }, 'hello');
    const line = JSON.parse(lines[0]!) as { msg: string; service: string; req: unknown };
    expect(line).toMatchObject({ msg: 'hello', service: 'ownit' });
    expect(JSON.stringify(line)).not.toContain('oit_secret');
  });

  it('when the format is pretty, then lines read as text with the level and message, still redacted', () => {
    const { lines, destination } = collect();
    const logger = createLogger('info', { format: 'pretty', destination });
    logger.warn({ token: 'oit_secret' }, 'deadline worker started');
    const text = lines.join('\n');
    expect(text).toMatch(/WARN.*deadline worker started/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
    expect(text).not.toContain('oit_secret');
  });
});
