import { Webhook } from 'standardwebhooks';
import {
  DEFAULT_WEBHOOK_DELIVERY,
  drainWebhooks,
  type WebhookDeliverySettings,
} from '../../src/webhooks/deliver-webhooks';
import { recordSatisfactionScore } from '../../src/satisfaction/satisfaction.service';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

/**
 * Webhooks end to end: registered over HTTP, queued by ticket changes, delivered by the worker's
 * drain to a real HTTP receiver and verified with the Standard Webhooks library. This file has
 * its own database: a drain delivers every due row it can see.
 */
let app: TestApp;
let f: Fixtures;
let receiver: WebhookReceiver;

const local: WebhookDeliverySettings = {
  ...DEFAULT_WEBHOOK_DELIVERY,
  retryDelaysMs: [0, 0, 0],
  allowPrivateNetworks: true,
};

beforeAll(async () => {
  app = await startTestApp({ isolated: true });
  f = new Fixtures(app);
  receiver = await startWebhookReceiver();
});
beforeEach(() => {
  app.ctx.settings.webhookAllowPrivateNetworks = true;
  receiver.received.length = 0;
  receiver.statuses = [204];
});
afterAll(async () => {
  await receiver.close();
  await app.close();
});

const remove = (id: string) =>
  f.http().delete(`/api/v1/webhooks/${id}`).set('Authorization', `Bearer ${app.adminToken}`);

async function register(body: Record<string, unknown>) {
  const res = await f.admin().post('/webhooks', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string; events: string[] };
}

/** A new staffed team with an endpoint of its own registered for `events`. */
async function teamListeningTo(events: string[], reps = 1) {
  const staffed = await f.staffedTeam({ reps });
  const hook = await register({ url: endpointUrl(), events, teamId: staffed.team.id });
  return { ...staffed, hook };
}

/** The three Standard Webhooks headers of a received delivery. */
function signatureHeaders(r: { headers: Record<string, unknown> }) {
  return {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
}

/** Each registration gets its own path, so a test reads only its own endpoint's deliveries. */
function endpointUrl(): string {
  return `${receiver.url}/${unique('e')}`;
}

function receivedAt(url: string) {
  const path = new URL(url).pathname;
  return receiver.received.filter((r) => r.path === path);
}

async function deliveries(webhookId: string) {
  const res = await f.admin().get(`/webhooks/${webhookId}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{
    id: string;
    messageId: string;
    eventType: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
    attemptLog: Array<{ attempt: number; statusCode: number | null; durationMs: number }>;
  }>;
}

describe('registering webhooks', () => {
  it('when an admin registers an endpoint, then the whsec_ secret is shown once and stored encrypted', async () => {
    const hook = await register({
      url: endpointUrl(),
      events: ['ticket.created'],
      teamId: (await f.team()).id,
    });

    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const shown = await f.admin().get(`/webhooks/${hook.id}`).expect(200);
    expect(shown.body).toMatchObject({ id: hook.id, events: ['ticket.created'], enabled: true });
    expect(JSON.stringify(shown.body)).not.toContain(hook.secret.slice(6));
    const list = await f.admin().get('/webhooks').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret.slice(6));
    const [row] = await app.dataSource.query(
      `SELECT secret_encrypted FROM webhooks WHERE id = $1`,
      [hook.id],
    );
    expect(row.secret_encrypted).toMatch(/^v1\./);
    expect(row.secret_encrypted).not.toContain(hook.secret.slice(6));
  });

  it('when the body names an unknown event or no URL, then 400 names each field', async () => {
    const res = await f.admin().post('/webhooks', { url: 'ftp://x.example', events: ['nope'] });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['url', 'events.0']));
  });

  it('when an admin changes or deletes an endpoint, then GET shows the change and then 404', async () => {
    const hook = await register({ url: endpointUrl(), events: ['ticket.created'] });
    const changed = await f
      .admin()
      .patch(`/webhooks/${hook.id}`, { events: ['ticket.resolved', 'ticket.reopened'] })
      .expect(200);
    expect(changed.body.events).toEqual(['ticket.resolved', 'ticket.reopened']);
    await remove(hook.id).expect(204);
    await f.admin().get(`/webhooks/${hook.id}`).expect(404);
  });
});

describe('the SSRF guard', () => {
  const refused = [
    'http://127.0.0.1/hook',
    'http://127.1.2.3:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://224.0.0.1/hook',
    'http://[::1]/hook',
    'http://[::]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[ff02::1]/hook',
  ];

  it.each(refused)(
    'when private networks are not allowed and the URL is %s, then 400 names url',
    async (url) => {
      app.ctx.settings.webhookAllowPrivateNetworks = false;
      const res = await f.admin().post('/webhooks', { url, events: ['ticket.created'] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          path: 'url',
          message: expect.stringContaining('public address'),
        }),
      ]);
    },
  );

  it('when the URL is a public address, then it is accepted', async () => {
    app.ctx.settings.webhookAllowPrivateNetworks = false;
    const res = await f
      .admin()
      .post('/webhooks', { url: 'https://93.184.215.14/hook', events: ['ticket.created'] });
    expect(res.status).toBe(201);
    await remove(res.body.id).expect(204);
  });

  it('when an endpoint reaches a private address at delivery time, then the delivery fails with the reason and nothing is sent', async () => {
    const { customer, reps, hook } = await teamListeningTo(['ticket.created']);
    await f.ticket(reps[0]!.token, customer.id);

    await drainWebhooks(app.ctx, { ...local, allowPrivateNetworks: false });

    expect(receivedAt(hook.url)).toHaveLength(0);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
    expect(delivery!.lastError).toMatch(/refused: 127\.0\.0\.1 is loopback/);
  });
});

describe('deliveries', () => {
  it('when a ticket is created, reassigned, resolved and reopened, then each event arrives signed and verifies with the standard', async () => {
    const { supervisor, customer, reps, hook } = await teamListeningTo(
      ['ticket.created', 'ticket.owner_changed', 'ticket.resolved', 'ticket.reopened'],
      2,
    );
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: reps[1]!.id, reason: 'Rep A is out' })
      .expect(200);
    await f
      .as(reps[1]!.token)
      .post(`/tickets/${ticket.id}/resolve`, {
        resolution: 'Replaced the router',
        rootCause: { silo: 'field_service', category: 'hardware' },
      })
      .expect(200);
    await f
      .as(reps[1]!.token)
      .post(`/tickets/${ticket.id}/reopen`, { reason: 'Still down' })
      .expect(200);

    await drainWebhooks(app.ctx, local);

    const got = receivedAt(hook.url);
    const verifier = new Webhook(hook.secret);
    const events = got.map((r) => {
      const payload = verifier.verify(r.body, signatureHeaders(r)) as {
        type: string;
        timestamp: string;
        data: Record<string, unknown>;
      };
      expect(r.headers['content-type']).toBe('application/json');
      expect(payload.data).toMatchObject({ ticketId: ticket.id, ticketRef: ticket.ref });
      return payload.type;
    });
    expect(events.sort()).toEqual(
      ['ticket.created', 'ticket.owner_changed', 'ticket.reopened', 'ticket.resolved'].sort(),
    );
    const log = await deliveries(hook.id);
    expect(log.every((d) => d.status === 'delivered' && d.lastStatusCode === 204)).toBe(true);
  });

  it('when the body is tampered with, then the standard verification rejects it', async () => {
    const { customer, reps, hook } = await teamListeningTo(['ticket.created']);
    await f.ticket(reps[0]!.token, customer.id);
    await drainWebhooks(app.ctx, local);

    const [r] = receivedAt(hook.url);
    const headers = signatureHeaders(r!);
    expect(() =>
      new Webhook(hook.secret).verify(r!.body.replace('ticket', 'tocket'), headers),
    ).toThrow();
    const other = await register({ url: endpointUrl(), events: ['ticket.created'] });
    expect(() => new Webhook(other.secret).verify(r!.body, headers)).toThrow();
    await remove(other.id).expect(204);
  });

  it('when the receiver fails and then recovers, then the retry carries the same webhook-id and the log shows each attempt', async () => {
    const { customer, reps, hook } = await teamListeningTo(['ticket.created']);
    receiver.statuses = [503, 500, 200];
    await f.ticket(reps[0]!.token, customer.id);

    await drainWebhooks(app.ctx, local);

    const got = receivedAt(hook.url);
    expect(got).toHaveLength(3);
    const ids = new Set(got.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      messageId: [...ids][0],
    });
    expect(delivery!.attemptLog.map((a) => a.statusCode)).toEqual([503, 500, 200]);
    const endpoint = await f.admin().get(`/webhooks/${hook.id}`).expect(200);
    expect(endpoint.body).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it('when a receiver fails past the retry limit, then the delivery is failed and later attempts wait their backoff', async () => {
    const { customer, reps, hook } = await teamListeningTo(['ticket.created']);
    receiver.statuses = [500];
    await f.ticket(reps[0]!.token, customer.id);

    await drainWebhooks(app.ctx, { ...local, retryDelaysMs: [0, 3_600_000] });

    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500 });
    expect(receivedAt(hook.url)).toHaveLength(2);
  });

  it('when an endpoint fails repeatedly, then it is disabled, every admin is emailed and nothing more is sent', async () => {
    const { customer, reps, hook } = await teamListeningTo(['ticket.created']);
    receiver.statuses = [500];
    await f.ticket(reps[0]!.token, customer.id);
    await f.ticket(reps[0]!.token, customer.id);

    await drainWebhooks(app.ctx, {
      ...local,
      retryDelaysMs: [0, 0, 0, 0],
      disableAfterFailures: 3,
    });

    const endpoint = await f.admin().get(`/webhooks/${hook.id}`).expect(200);
    expect(endpoint.body).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(endpoint.body.disabledReason).toMatch(/3 failed attempts in a row.*500/);
    // Both deliveries may be in flight when the third failure disables the endpoint.
    const attempted = receivedAt(hook.url).length;
    expect(attempted).toBeGreaterThanOrEqual(3);
    expect(attempted).toBeLessThanOrEqual(4);
    await drainWebhooks(app.ctx, local);
    expect(receivedAt(hook.url)).toHaveLength(attempted);
    const mails = await app.dataSource.query(
      `SELECT o.to_address, o.payload FROM outbox_emails o JOIN agents a ON a.id = o.agent_id
        WHERE o.template = 'webhook_disabled' AND o.payload->>'webhookId' = $1 AND a.role = 'admin'`,
      [hook.id],
    );
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect(mails[0].payload.url).toBe(hook.url);

    // Re-enabled by an admin: the pending deliveries go out again.
    receiver.statuses = [204];
    await f.admin().patch(`/webhooks/${hook.id}`, { enabled: true }).expect(200);
    await drainWebhooks(app.ctx, local);
    const log = await deliveries(hook.id);
    expect(log.map((d) => d.status).sort()).toEqual(['delivered', 'delivered']);
  });

  it('when an endpoint is scoped to a team, then it hears nothing of another team', async () => {
    const mine = await f.staffedTeam({ reps: 1 });
    const other = await f.staffedTeam({ reps: 1 });
    const hook = await register({
      url: endpointUrl(),
      events: ['ticket.created'],
      teamId: mine.team.id,
    });
    await f.ticket(other.reps[0]!.token, other.customer.id);
    await drainWebhooks(app.ctx, local);
    expect(await deliveries(hook.id)).toHaveLength(0);
  });

  it('when a customer scores the service low, then satisfaction.low is delivered', async () => {
    const { customer, reps, hook } = await teamListeningTo(['satisfaction.low']);
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    await f
      .as(reps[0]!.token)
      .post(`/tickets/${ticket.id}/resolve`, {
        resolution: 'Done',
        rootCause: { silo: 'billing', category: 'invoice' },
      })
      .expect(200);
    await recordSatisfactionScore(app.ctx, ticket.id, 1);

    await drainWebhooks(app.ctx, local);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ eventType: 'satisfaction.low', status: 'delivered' });
  });
});

describe('access', () => {
  it('when a rep, a supervisor or an integration calls the webhook API, then 403; without a token, 401', async () => {
    const { team, supervisor, reps } = await f.staffedTeam({ reps: 1 });
    const integration = await f.agent('integration', team.id);
    const hook = await register({
      url: endpointUrl(),
      events: ['ticket.created'],
      teamId: (await f.team()).id,
    });
    for (const token of [reps[0]!.token, supervisor.token, integration.token]) {
      const as = f.as(token);
      for (const res of [
        await as.post('/webhooks', { url: endpointUrl(), events: ['ticket.created'] }),
        await as.get('/webhooks'),
        await as.get(`/webhooks/${hook.id}`),
        await as.patch(`/webhooks/${hook.id}`, { enabled: false }),
        await as.get(`/webhooks/${hook.id}/deliveries`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(JSON.stringify(res.body)).not.toContain(hook.url);
      }
    }
    await f.as(undefined).get('/webhooks').expect(401);
  });
});
