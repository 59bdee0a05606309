import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectForbidden, RESOLVE_BODY, send, ticketState, type Write } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** A staffed team, an integration, and a ticket the integration created (auto-assigned to a rep). */
async function scene() {
  const staffed = await f.staffedTeam();
  const integration = await f.agent('integration', staffed.team.id);
  const res = await f.as(integration.token).post('/tickets', {
    customerId: staffed.customer.id,
    subject: 'Web form: no dial tone',
    description: 'Submitted through the website',
    channel: 'web',
    teamId: staffed.team.id,
  });
  expect(res.status).toBe(201);
  return {
    ...staffed,
    integration,
    ticket: res.body as { id: string; ownerId: string; version: number },
  };
}

describe('What an integration may do', () => {
  it('when an integration creates a ticket with a teamId, then it is 201 and a member of the team owns it, never the integration', async () => {
    const s = await scene();
    expect([...s.reps.map((r) => r.id), s.supervisor.id]).toContain(s.ticket.ownerId);
    expect(s.ticket.ownerId).not.toBe(s.integration.id);
  });

  it('when an integration logs a customer message, then it is 201 and recorded on the timeline', async () => {
    const s = await scene();
    const res = await f
      .as(s.integration.token)
      .post(`/tickets/${s.ticket.id}/customer-messages`, { body: 'Email received' });
    expect(res.status).toBe(201);
    const timeline = await f.as(s.reps[0]!.token).get(`/tickets/${s.ticket.id}/timeline`);
    expect(timeline.body.items).toContainEqual(
      expect.objectContaining({ type: 'customer_message', actorId: s.integration.id }),
    );
  });
});

describe('What an integration may not do', () => {
  const writes: Array<[string, (s: Awaited<ReturnType<typeof scene>>) => Write]> = [
    [
      'POST /tickets/:id/updates',
      (s) => ({
        method: 'post',
        path: `/tickets/${s.ticket.id}/updates`,
        body: { body: 'Hi', visibility: 'public' },
      }),
    ],
    [
      'POST /tickets/:id/resolve',
      (s) => ({ method: 'post', path: `/tickets/${s.ticket.id}/resolve`, body: RESOLVE_BODY }),
    ],
    [
      'POST /tickets/:id/reassign',
      (s) => ({
        method: 'post',
        path: `/tickets/${s.ticket.id}/reassign`,
        body: { toAgentId: s.reps.find((r) => r.id !== s.ticket.ownerId)!.id, reason: 'Routing' },
      }),
    ],
    [
      'PATCH /tickets/:id',
      (s) => ({ method: 'patch', path: `/tickets/${s.ticket.id}`, body: { priority: 'urgent' } }),
    ],
    [
      'POST /tickets/:id/handoffs',
      (s) => ({
        method: 'post',
        path: `/tickets/${s.ticket.id}/handoffs`,
        body: { toAgentId: s.reps.find((r) => r.id !== s.ticket.ownerId)!.id, note: 'Routing' },
      }),
    ],
  ];

  it.each(writes)(
    'when an integration sends %s, then it is 403 and the ticket is unchanged',
    async (_name, write) => {
      const s = await scene();
      const before = await ticketState(app.dataSource, s.ticket.id);
      expectForbidden(await send(f, s.integration.token, write(s)));
      expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
    },
  );

  it('when an integration asks for GET /me/queue, then it is 403', async () => {
    const { integration } = await scene();
    expectForbidden(await f.as(integration.token).get('/me/queue'));
  });

  it('when an integration asks for GET /me/handoffs, then it is 403', async () => {
    const { integration } = await scene();
    expectForbidden(await f.as(integration.token).get('/me/handoffs'));
  });
});
