import { ConfigError, loadConfig } from '../../src/config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('when nothing is set, then the defaults of API.md apply', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3000);
    const db = new URL(config.databaseUrl);
    expect(db.protocol).toBe('postgres:');
    expect(db.host).toBe('127.0.0.1:5432');
    expect(db.pathname).toBe('/ownit');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBe('support@localhost');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.adminToken).toBeUndefined();
    expect(config.linkSecret).toBeUndefined();
  });

  it('when only PORT is set, then PUBLIC_URL defaults to http://localhost:$PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('when a variable is set to an empty string, then its default applies', () => {
    expect(loadConfig({ PORT: '', MAIL_FROM: '' })).toMatchObject({
      port: 3000,
      mailFrom: 'support@localhost',
    });
  });

  it('when values are given, then they are used as given', () => {
    const config = loadConfig({
      PORT: '4000',
      DATABASE_URL: 'postgres://app:secret@db.internal:5433/helpdesk',
      REDIS_URL: 'redis://cache:6380',
      MAIL_FROM: 'care@example.com',
      PUBLIC_URL: 'https://help.example.com/',
    });

    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: 'postgres://app:secret@db.internal:5433/helpdesk',
      redisUrl: 'redis://cache:6380',
      mailFrom: 'care@example.com',
    });
    expect(config.publicUrl).toMatch(/^https:\/\/help\.example\.com\/?$/);
  });

  it.each(['abc', '70000', '-1', '3.5'])(
    'when PORT is %p, then a ConfigError names PORT',
    (port) => {
      const error = configError({ PORT: port });
      expect(error.message).toContain('PORT');
      expect(error.message).not.toContain('DATABASE_URL');
    },
  );

  it.each(['mysql://127.0.0.1/ownit', 'not a url'])(
    'when DATABASE_URL is %p, then a ConfigError names DATABASE_URL',
    (url) => {
      const error = configError({ DATABASE_URL: url });
      expect(error.message).toContain('DATABASE_URL');
      expect(error.message).not.toContain('PORT');
    },
  );
});
