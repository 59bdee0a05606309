import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures } from '../helpers/factories';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('POST /tickets', () => {
  it('when a rep creates a ticket, then the rep owns it and the contract fields are present', async () => {
    const { team, reps, customer } = await f.staffedTeam();
    const rep = reps[0]!;
    const res = await f.as(rep.token).post('/tickets', {
      customerId: customer.id,
      subject: 'Router blinking red',
      description: 'Since the storm',
      channel: 'phone',
      category: 'connectivity',
      priority: 'high',
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({
      status: 'open',
      customerId: customer.id,
      teamId: team.id,
      ownerId: rep.id,
      subject: 'Router blinking red',
      channel: 'phone',
      category: 'connectivity',
      priority: 'high',
      firstRespondedAt: null,
      nextUpdateDueAt: null,
      escalationLevel: 0,
      version: 1,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.ref).toMatch(/^T-\d{6,}$/);
    expect(new Date(res.body.receivedAt).toISOString()).toBe(res.body.receivedAt);
    expect(new Date(res.body.firstResponseDueAt).getTime()).toBeGreaterThan(
      new Date(res.body.receivedAt).getTime(),
    );
  });

  it('when a ticket is created, then its timeline starts with "created" and one ownership period is open', async () => {
    const { reps, customer } = await f.staffedTeam();
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const timeline = await f.as(reps[0]!.token).get(`/tickets/${ticket.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items[0]).toMatchObject({ type: 'created', actorId: reps[0]!.id });
    expect(timeline.body.nextCursor).toBeNull();
    const periods = await app.dataSource.query(
      `SELECT agent_id, ended_at, reason FROM ownership_periods WHERE ticket_id = $1`,
      [ticket.id],
    );
    expect(periods).toEqual([{ agent_id: reps[0]!.id, ended_at: null, reason: 'created' }]);
  });

  it('when a ticket is created, then exactly one acknowledgement email is queued for the customer', async () => {
    const { reps, customer } = await f.staffedTeam();
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const rows = await app.dataSource.query(
      `SELECT template, to_address, status FROM outbox_emails WHERE ticket_id = $1`,
      [ticket.id],
    );
    expect(rows).toEqual([
      { template: 'ticket_acknowledgement', to_address: customer.email, status: 'pending' },
    ]);
  });

  it('when an integration creates a ticket, then the rep with the fewest open tickets owns it', async () => {
    const { team, reps, customer } = await f.staffedTeam();
    const integration = await f.agent('integration', team.id);
    await f.ticket(reps[0]!.token, customer.id); // rep 0 now has one open ticket
    const res = await f.as(integration.token).post('/tickets', {
      customerId: customer.id,
      subject: 'Web form',
      description: 'Billing question',
      channel: 'web',
      teamId: team.id,
    });
    expect(res.status).toBe(201);
    expect(res.body.ownerId).toBe(reps[1]!.id);
  });

  it('when every rep is at capacity or away, then the team supervisor owns the new ticket', async () => {
    const { team, supervisor, reps, customer } = await f.staffedTeam({ capacity: 1 });
    await f.ticket(reps[0]!.token, customer.id);
    await f.admin().patch(`/agents/${reps[1]!.id}`, { away: true }).expect(200);
    const integration = await f.agent('integration', team.id);
    const res = await f.as(integration.token).post('/tickets', {
      customerId: customer.id,
      subject: 'S',
      description: 'D',
      channel: 'api',
      teamId: team.id,
    });
    expect(res.status).toBe(201);
    expect(res.body.ownerId).toBe(supervisor.id);
  });

  it('when an admin omits teamId, then it gets a 400 naming teamId', async () => {
    const { customer } = await f.staffedTeam();
    const res = await f.admin().post('/tickets', {
      customerId: customer.id,
      subject: 'S',
      description: 'D',
      channel: 'web',
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'teamId' })]);
  });

  it('when the customer does not exist, then nothing is written and the error names customerId', async () => {
    const { reps } = await f.staffedTeam();
    const res = await f.as(reps[0]!.token).post('/tickets', {
      customerId: '00000000-0000-4000-8000-000000000000',
      subject: 'S',
      description: 'D',
      channel: 'web',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'customerId', message: 'names no existing customer' },
    ]);
    // Counted for this rep's team only: other test files create tickets at the same time.
    const after = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE team_id = $1`,
      [reps[0]!.teamId],
    );
    expect(after[0].n).toBe(0);
  });
});

describe('Idempotency-Key on POST /tickets', () => {
  it('when the same key and body are sent twice, then the same ticket comes back and only one exists', async () => {
    const { reps, customer } = await f.staffedTeam();
    const body = {
      customerId: customer.id,
      subject: 'Once',
      description: 'Only once',
      channel: 'email',
    };
    const first = await f.as(reps[0]!.token).post('/tickets', body).set('Idempotency-Key', 'key-1');
    const second = await f
      .as(reps[0]!.token)
      .post('/tickets', body)
      .set('Idempotency-Key', 'key-1');
    expect(first.status).toBe(201);
    expect([200, 201]).toContain(second.status);
    expect(second.body.id).toBe(first.body.id);
    const count = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1`,
      [customer.id],
    );
    expect(count[0].n).toBe(1);
  });

  it('when parallel requests share one key, then exactly one ticket is created and all get it', async () => {
    const { reps, customer } = await f.staffedTeam();
    const body = {
      customerId: customer.id,
      subject: 'Race',
      description: 'Parallel',
      channel: 'api',
    };
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        f.as(reps[0]!.token).post('/tickets', body).set('Idempotency-Key', 'race-key'),
      ),
    );
    for (const res of responses) expect([200, 201]).toContain(res.status);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    const count = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1`,
      [customer.id],
    );
    expect(count[0].n).toBe(1);
    const emails = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_emails WHERE customer_id = $1`,
      [customer.id],
    );
    expect(emails[0].n).toBe(1);
  });

  it('when a key is reused with a different body, then it is refused with 409 and no ticket is added', async () => {
    const { reps, customer } = await f.staffedTeam();
    await f
      .as(reps[0]!.token)
      .post('/tickets', { customerId: customer.id, subject: 'A', description: 'A', channel: 'web' })
      .set('Idempotency-Key', 'reuse')
      .expect(201);
    const res = await f
      .as(reps[0]!.token)
      .post('/tickets', { customerId: customer.id, subject: 'B', description: 'B', channel: 'web' })
      .set('Idempotency-Key', 'reuse');
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/conflict');
  });

  it('when two callers use the same key, then each gets its own ticket (keys are per caller)', async () => {
    const { reps, customer } = await f.staffedTeam();
    const body = { customerId: customer.id, subject: 'Same', description: 'Same', channel: 'web' };
    const a = await f.as(reps[0]!.token).post('/tickets', body).set('Idempotency-Key', 'shared');
    const b = await f.as(reps[1]!.token).post('/tickets', body).set('Idempotency-Key', 'shared');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });
});
