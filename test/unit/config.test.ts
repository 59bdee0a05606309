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

describe('connection pools', () => {
  it('when nothing is set, then API and worker have pools of their own and deadline jobs stay below the worker pool', () => {
    const config = loadConfig({});
    expect(config.apiPoolSize).toBe(10);
    expect(config.workerPoolSize).toBe(10);
    expect(config.deadlineConcurrency).toBeLessThan(config.workerPoolSize);
    expect(config.poolWaitMs).toBeGreaterThan(0);
    expect(config.reportConcurrency).toBeLessThan(config.apiPoolSize);
  });

  it('when the deadline batch size is not set, then 50; set to 0, refused naming it', () => {
    expect(loadConfig({}).deadlineBatchSize).toBe(50);
    expect(loadConfig({ DEADLINE_BATCH_SIZE: '10' }).deadlineBatchSize).toBe(10);
    expect(configError({ DEADLINE_BATCH_SIZE: '0' }).message).toMatch(/DEADLINE_BATCH_SIZE/);
  });

  it('when deadline concurrency would take the whole worker pool, then the configuration is refused', () => {
    const error = configError({ WORKER_DATABASE_POOL_SIZE: '10', DEADLINE_CONCURRENCY: '16' });
    expect(error.message).toMatch(/DEADLINE_CONCURRENCY/);
  });

  it('when the inbound limits are not set, then 10 new tickets an hour per sender and per domain apply; set, they are read; 0, refused', () => {
    expect(loadConfig({}).inboundLimits).toEqual({
      newTicketsPerSenderPerHour: 10,
      newTicketsPerDomainPerHour: 10,
    });
    expect(
      loadConfig({
        INBOUND_NEW_TICKETS_PER_SENDER_PER_HOUR: '3',
        INBOUND_NEW_TICKETS_PER_DOMAIN_PER_HOUR: '500',
      }).inboundLimits,
    ).toEqual({ newTicketsPerSenderPerHour: 3, newTicketsPerDomainPerHour: 500 });
    expect(configError({ INBOUND_NEW_TICKETS_PER_SENDER_PER_HOUR: '0' }).message).toMatch(
      /INBOUND_NEW_TICKETS_PER_SENDER_PER_HOUR/,
    );
  });

  it('when NODE_ENV=production and SMTP_URL is unset, then the start is refused saying to set SMTP_URL or DEV_MAILBOX=true', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.message).toMatch(/SMTP_URL/);
    expect(error.message).toMatch(/DEV_MAILBOX=true/);
    expect(loadConfig({ NODE_ENV: 'production', DEV_MAILBOX: 'true' }).smtpUrl).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25' }).smtpUrl).toBe(
      'smtp://mail:25',
    );
  });
});

describe('metrics and logs', () => {
  it('when nothing is set, then metrics are on 9464 (worker alone: 9465) on loopback, and logs are pretty only in a terminal', () => {
    expect(loadConfig({})).toMatchObject({
      metricsPort: 9464,
      workerMetricsPort: 9465,
      metricsHost: '127.0.0.1',
      logFormat: 'auto',
    });
  });

  it('when METRICS_HOST, the ports and LOG_FORMAT are set, then they are used', () => {
    expect(
      loadConfig({
        METRICS_PORT: '9100',
        WORKER_METRICS_PORT: '9101',
        METRICS_HOST: '0.0.0.0',
        LOG_FORMAT: 'json',
      }),
    ).toMatchObject({
      metricsPort: 9100,
      workerMetricsPort: 9101,
      metricsHost: '0.0.0.0',
      logFormat: 'json',
    });
    expect(loadConfig({ METRICS_HOST: '[::]' }).metricsHost).toBe('::');
    expect(loadConfig({ METRICS_HOST: 'metrics.internal' }).metricsHost).toBe('metrics.internal');
  });

  it.each([
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    [{ WORKER_METRICS_PORT: '-1' }, 'WORKER_METRICS_PORT'],
    [{ METRICS_HOST: 'http://0.0.0.0' }, 'METRICS_HOST'],
    [{ METRICS_HOST: 'a host' }, 'METRICS_HOST'],
    [{ LOG_FORMAT: 'yaml' }, 'LOG_FORMAT'],
  ])('when %p, then a ConfigError names %s', (env, variable) => {
    expect(configError(env).message).toContain(variable);
  });

  it('when METRICS_PORT is the public PORT, then the configuration is refused', () => {
    const error = configError({ PORT: '9464' });
    expect(error.message).toMatch(/METRICS_PORT: must differ from PORT/);
  });
});
