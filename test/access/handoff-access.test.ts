import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectForbidden, expectNotFound, ticketState } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** reps[0] owns a ticket and offers it to reps[1]; reps[2] is a bystander of the same team. */
async function offered() {
  const staffed = await f.staffedTeam({ reps: 3 });
  const [owner, target, bystander] = [staffed.reps[0]!, staffed.reps[1]!, staffed.reps[2]!];
  const ticket = await f.ticket(owner.token, staffed.customer.id);
  const res = await f
    .as(owner.token)
    .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: target.id, note: 'Billing expert' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'pending' });
  return { ...staffed, owner, target, bystander, ticket, handoffId: res.body.id as string };
}

const handoffStatus = async (id: string) =>
  (await app.dataSource.query(`SELECT status FROM handoffs WHERE id = $1`, [id]))[0]
    .status as string;

describe('Answering a handoff', () => {
  it.each(['accept', 'decline'])(
    'when the offering owner tries to %s its own offer, then it is 403 and nothing changes',
    async (answer) => {
      const s = await offered();
      const before = await ticketState(app.dataSource, s.ticket.id);
      expectForbidden(await f.as(s.owner.token).post(`/handoffs/${s.handoffId}/${answer}`, {}));
      expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
      expect(await handoffStatus(s.handoffId)).toBe('pending');
    },
  );

  it.each(['accept', 'decline'])(
    'when a rep of another team tries to %s the offer, then it is 404 and nothing changes',
    async (answer) => {
      const s = await offered();
      const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
      const before = await ticketState(app.dataSource, s.ticket.id);
      expectNotFound(await f.as(stranger.token).post(`/handoffs/${s.handoffId}/${answer}`, {}));
      expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
    },
  );

  it.each(['bystander', 'supervisor'] as const)(
    'when the %s of the same team tries to accept the offer, then it is refused and the owner does not change',
    async (who) => {
      const s = await offered();
      const before = await ticketState(app.dataSource, s.ticket.id);
      const res = await f.as(s[who].token).post(`/handoffs/${s.handoffId}/accept`, {});
      expect([403, 404]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
    },
  );

  it('when the target accepts, then it is 200 and the target owns the ticket', async () => {
    const s = await offered();
    const res = await f
      .as(s.target.token)
      .post(`/handoffs/${s.handoffId}/accept`, { note: 'Got it' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
    const ticket = await f.as(s.target.token).get(`/tickets/${s.ticket.id}`);
    expect(ticket.body.ownerId).toBe(s.target.id);
  });

  it('when the target declines, then it is 200 and the owner keeps the ticket', async () => {
    const s = await offered();
    const res = await f
      .as(s.target.token)
      .post(`/handoffs/${s.handoffId}/decline`, { note: 'Not my area' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('declined');
    const ticket = await f.as(s.owner.token).get(`/tickets/${s.ticket.id}`);
    expect(ticket.body.ownerId).toBe(s.owner.id);
  });

  it('when the target has accepted, then the former owner can no longer post updates (403)', async () => {
    const s = await offered();
    await f.as(s.target.token).post(`/handoffs/${s.handoffId}/accept`, {}).expect(200);
    expectForbidden(
      await f
        .as(s.owner.token)
        .post(`/tickets/${s.ticket.id}/updates`, { body: 'Hello', visibility: 'public' }),
    );
  });

  it('when the target or a stranger tries to cancel the offer, then the target gets 403, the stranger 404, and the offer stays pending', async () => {
    const s = await offered();
    const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    expectForbidden(await f.as(s.target.token).post(`/handoffs/${s.handoffId}/cancel`, {}));
    expectNotFound(await f.as(stranger.token).post(`/handoffs/${s.handoffId}/cancel`, {}));
    expect(await handoffStatus(s.handoffId)).toBe('pending');
  });

  it('when a rep of another team reads the handoff, then it is 404', async () => {
    const s = await offered();
    const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    expectNotFound(await f.as(stranger.token).get(`/handoffs/${s.handoffId}`));
  });
});

describe('GET /me/handoffs', () => {
  it('when two offers go to different targets, then each target sees only its own and bystanders see none', async () => {
    const s = await offered();
    const second = await f.ticket(s.owner.token, s.customer.id, { subject: 'Second concern' });
    const toBystander = await f
      .as(s.owner.token)
      .post(`/tickets/${second.id}/handoffs`, { toAgentId: s.bystander.id, note: 'Field visit' });
    expect(toBystander.status).toBe(201);

    const ids = async (token: string, query = '') => {
      const res = await f.as(token).get(`/me/handoffs${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((h: { id: string }) => h.id);
    };
    expect(await ids(s.target.token)).toEqual([s.handoffId]);
    expect(await ids(s.bystander.token)).toEqual([toBystander.body.id]);
    expect(await ids(s.owner.token)).toEqual([]);
    expect(await ids(s.supervisor.token)).toEqual([]);
    expect((await ids(s.owner.token, '?direction=outgoing')).sort()).toEqual(
      [s.handoffId, toBystander.body.id].sort(),
    );
    expect(await ids(s.target.token, '?direction=outgoing')).toEqual([]);

    const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    expect(await ids(stranger.token)).toEqual([]);
    expect(await ids(stranger.token, '?direction=outgoing')).toEqual([]);
  });
});
