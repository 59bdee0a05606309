import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

/** json: one JSON object a line (for journald, docker, log shippers); pretty: for people. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** `auto` is pretty when stdout is a terminal and JSON otherwise (a pipe, a file, a supervisor). */
export function resolveLogFormat(
  format: LogFormat,
  stdoutIsTty: boolean = process.stdout.isTTY === true,
): 'json' | 'pretty' {
  if (format === 'auto') return stdoutIsTty ? 'pretty' : 'json';
  return format;
}

export function createLogger(
  level: string,
  options: { format?: LogFormat; destination?: DestinationStream } = {},
): Logger {
  const format = resolveLogFormat(options.format ?? 'json');
  const settings = {
    level,
    base: { service: 'ownit' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'token',
        'password',
      ],
      censor: '[redacted]',
    },
  };
  if (format === 'pretty') {
    // A synchronous stream, not a transport thread: a line logged just before process.exit
    // (a fatal error, a refused start) is still printed.
    const pretty = pinoPretty({
      colorize: options.destination ? false : process.stdout.isTTY === true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      ...(options.destination ? { destination: options.destination } : {}),
    });
    return pino(settings, pretty);
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
