import { ManualClock } from '../../src/clock';
import {
  expectForbidden,
  expectNotFound,
  expectProblem,
  RESOLVE_BODY,
  ticketState,
} from '../access/access-helpers';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A consult opens a ticket to whom it names, and only while it is open: the named agent (not its
 * teammates), or the named team. The consulted party reads and answers; it never speaks for the
 * customer or works the ticket. The owner or the ticket team's supervisor can call it off, and
 * resolving the ticket calls off every open consult; either way the consulted party is told.
 */
const WEDNESDAY_11_BERLIN = new Date('2026-03-04T10:00:00Z');

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(WEDNESDAY_11_BERLIN);
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(WEDNESDAY_11_BERLIN));
afterAll(() => app.close());

/** Care owns a ticket; billing is another team with a supervisor and two reps. */
async function careAndBilling() {
  const care = await f.staffedTeam();
  const billing = await f.staffedTeam();
  const owner = care.reps[0]!;
  const ticket = await f.ticket(owner.token, care.customer.id);
  return { care, billing, owner, ticket };
}

async function ask(token: string, ticketId: string, to: { agentId?: string; teamId?: string }) {
  const res = await f
    .as(token)
    .post(`/tickets/${ticketId}/consults`, { ...to, question: 'Was the promo credit applied?' });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
}

async function incomingIds(token: string, status = 'open'): Promise<string[]> {
  const res = await f.as(token).get(`/me/consults?direction=incoming&status=${status}`);
  expect(res.status).toBe(200);
  return res.body.items.map((c: { id: string }) => c.id);
}

async function mailsFor(consultId: string, template: string) {
  const rows: Array<{ to_address: string }> = await app.dataSource.query(
    `SELECT to_address FROM outbox_emails WHERE template = $1 AND key LIKE $2 ORDER BY to_address`,
    [template, `consult:${consultId}:%`],
  );
  return rows.map((r) => r.to_address);
}

describe('who a consult lets in', () => {
  it('when a consult names an agent, then only that agent may read the ticket, not its teammates or supervisor', async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const [named, teammate] = billing.reps;
    const consult = await ask(owner.token, ticket.id, { agentId: named!.id });

    expect((await f.as(named!.token).get(`/tickets/${ticket.id}`)).status).toBe(200);
    expect((await f.as(named!.token).get(`/tickets/${ticket.id}/timeline`)).status).toBe(200);
    expect(await incomingIds(named!.token)).toEqual([consult.id]);
    for (const other of [teammate!, billing.supervisor]) {
      expectNotFound(await f.as(other.token).get(`/tickets/${ticket.id}`));
      expectNotFound(await f.as(other.token).get(`/tickets/${ticket.id}/timeline`));
      expectNotFound(await f.as(other.token).get(`/consults/${consult.id}`));
      expectNotFound(
        await f.as(other.token).post(`/consults/${consult.id}/answer`, { answer: 'Yes.' }),
      );
      expect(await incomingIds(other.token)).toEqual([]);
    }
  });

  it('when a consult names a team, then that team reads the ticket and a third team does not', async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const third = await f.staffedTeam();
    const consult = await ask(owner.token, ticket.id, { teamId: billing.team.id });

    for (const member of [billing.supervisor, ...billing.reps]) {
      expect((await f.as(member.token).get(`/tickets/${ticket.id}`)).status).toBe(200);
      expect(await incomingIds(member.token)).toEqual([consult.id]);
    }
    for (const stranger of [third.supervisor, third.reps[0]!]) {
      expectNotFound(await f.as(stranger.token).get(`/tickets/${ticket.id}`));
      expectNotFound(await f.as(stranger.token).get(`/consults/${consult.id}`));
    }
  });
});

describe('what a consulted party may not do', () => {
  it('when a consulted agent or team supervisor logs a customer message or acts as owner, then each is refused and the ticket is unchanged', async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const named = billing.reps[0]!;
    await ask(owner.token, ticket.id, { agentId: named.id });
    await ask(owner.token, ticket.id, { teamId: billing.team.id });
    const before = await ticketState(app.dataSource, ticket.id);

    for (const consulted of [named, billing.supervisor]) {
      const as = f.as(consulted.token);
      const refusals = [
        await as.post(`/tickets/${ticket.id}/customer-messages`, { body: 'I am the customer' }),
        await as.post(`/tickets/${ticket.id}/updates`, { body: 'Hi', visibility: 'public' }),
        await as.post(`/tickets/${ticket.id}/updates`, { body: 'Note', visibility: 'internal' }),
        await as.post(`/tickets/${ticket.id}/resolve`, RESOLVE_BODY),
        await as.post(`/tickets/${ticket.id}/handoffs`, { toAgentId: consulted.id, note: 'mine' }),
        await as.patch(`/tickets/${ticket.id}`, { priority: 'high' }),
        await as.post(`/tickets/${ticket.id}/reassign`, {
          toAgentId: consulted.id,
          reason: 'taking it',
        }),
        await as.post(`/tickets/${ticket.id}/promises`, {
          description: 'Credit on the next bill',
          dueAt: '2026-03-10T10:00:00Z',
          silo: 'billing',
        }),
        await as.post(`/tickets/${ticket.id}/consults`, {
          teamId: billing.team.id,
          question: 'Me again?',
        }),
      ];
      for (const res of refusals) expectForbidden(res);
    }
    const after = await ticketState(app.dataSource, ticket.id);
    expect(after).toEqual(before);
  });

  it("when the ticket's own team logs a customer message, then it is still recorded", async () => {
    const { care, billing, owner, ticket } = await careAndBilling();
    await ask(owner.token, ticket.id, { agentId: billing.reps[0]!.id });
    const res = await f
      .as(care.reps[1]!.token)
      .post(`/tickets/${ticket.id}/customer-messages`, { body: 'Customer called back' });
    expect(res.status).toBe(201);
  });
});

describe('cancelling a consult', () => {
  it('when the owner cancels a consult, then the consulted agent no longer reads the ticket and is emailed', async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const named = billing.reps[0]!;
    const consult = await ask(owner.token, ticket.id, { agentId: named.id });

    const cancelled = await f
      .as(owner.token)
      .post(`/consults/${consult.id}/cancel`, { reason: 'Found it on the bill myself' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      id: consult.id,
      status: 'cancelled',
      cancelledById: owner.id,
      cancelledAt: WEDNESDAY_11_BERLIN.toISOString(),
    });

    expectNotFound(await f.as(named.token).get(`/tickets/${ticket.id}`));
    expect(await incomingIds(named.token)).toEqual([]);
    expect(await incomingIds(named.token, 'cancelled')).toEqual([consult.id]);
    expect(await mailsFor(consult.id, 'consult_cancelled')).toEqual([named.email]);
    const timeline = await f.as(owner.token).get(`/tickets/${ticket.id}/timeline?limit=200`);
    expect(timeline.body.items).toContainEqual(
      expect.objectContaining({
        type: 'consult_cancelled',
        actorId: owner.id,
        data: expect.objectContaining({
          consultId: consult.id,
          reason: 'Found it on the bill myself',
        }),
      }),
    );
    // Ended is ended: no second cancel, no late answer.
    expectProblem(await f.as(owner.token).post(`/consults/${consult.id}/cancel`, {}), 409);
    expectProblem(
      await f.as(named.token).post(`/consults/${consult.id}/answer`, { answer: 'Yes.' }),
      409,
    );
  });

  it("when a supervisor of the ticket's team cancels a team consult, then every member of that team is told", async () => {
    const { care, billing, owner, ticket } = await careAndBilling();
    const consult = await ask(owner.token, ticket.id, { teamId: billing.team.id });
    const res = await f.as(care.supervisor.token).post(`/consults/${consult.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelledById: care.supervisor.id });
    expect(await mailsFor(consult.id, 'consult_cancelled')).toEqual(
      [billing.supervisor, ...billing.reps].map((a) => a.email).sort(),
    );
    for (const member of [billing.supervisor, ...billing.reps]) {
      expectNotFound(await f.as(member.token).get(`/tickets/${ticket.id}`));
    }
  });

  it('when the consulted party, a teammate of the owner or another team cancels, then it is refused and the consult stays open', async () => {
    const { care, billing, owner, ticket } = await careAndBilling();
    const named = billing.reps[0]!;
    const consult = await ask(owner.token, ticket.id, { agentId: named.id });
    const third = await f.staffedTeam();

    expectForbidden(await f.as(named.token).post(`/consults/${consult.id}/cancel`));
    expectNotFound(await f.as(care.reps[1]!.token).post(`/consults/${consult.id}/cancel`));
    expectNotFound(await f.as(third.supervisor.token).post(`/consults/${consult.id}/cancel`));
    expectNotFound(await f.as(billing.supervisor.token).post(`/consults/${consult.id}/cancel`));
    expect((await f.as(owner.token).get(`/consults/${consult.id}`)).body.status).toBe('open');
    expect((await f.as(named.token).get(`/tickets/${ticket.id}`)).status).toBe(200);
  });

  it('when the owner resolves the ticket, then its open consults are cancelled and each consulted party is told', async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const named = billing.reps[0]!;
    const byName = await ask(owner.token, ticket.id, { agentId: named.id });
    const byTeam = await ask(owner.token, ticket.id, { teamId: billing.team.id });
    const answered = await ask(owner.token, ticket.id, { agentId: billing.reps[1]!.id });
    await f
      .as(billing.reps[1]!.token)
      .post(`/consults/${answered.id}/answer`, { answer: 'Credit applied.' })
      .expect(200);

    await f.as(owner.token).post(`/tickets/${ticket.id}/resolve`, RESOLVE_BODY).expect(200);

    const statuses = await f.as(owner.token).get(`/tickets/${ticket.id}/consults`);
    expect(
      Object.fromEntries(
        statuses.body.items.map((c: { id: string; status: string }) => [c.id, c.status]),
      ),
    ).toEqual({ [byName.id]: 'cancelled', [byTeam.id]: 'cancelled', [answered.id]: 'answered' });
    expect(await mailsFor(byName.id, 'consult_cancelled')).toEqual([named.email]);
    expect(await mailsFor(byTeam.id, 'consult_cancelled')).toEqual(
      [billing.supervisor, ...billing.reps].map((a) => a.email).sort(),
    );
    expect(await mailsFor(answered.id, 'consult_cancelled')).toEqual([]);
    for (const member of [billing.supervisor, ...billing.reps]) {
      expectNotFound(await f.as(member.token).get(`/tickets/${ticket.id}`));
    }
  });
});

describe('who answers a consult', () => {
  it('when the owner consults its own team, then the owner (or an admin) cannot answer it and a teammate can', async () => {
    const { care, owner, ticket } = await careAndBilling();
    const consult = await ask(owner.token, ticket.id, { teamId: care.team.id });

    expectForbidden(
      await f.as(owner.token).post(`/consults/${consult.id}/answer`, { answer: 'Self-answer' }),
    );
    expectForbidden(
      await f.admin().post(`/consults/${consult.id}/answer`, { answer: 'Admin answer' }),
    );
    expect((await f.as(owner.token).get(`/consults/${consult.id}`)).body.status).toBe('open');
    const res = await f
      .as(care.reps[1]!.token)
      .post(`/consults/${consult.id}/answer`, { answer: 'Yes, applied in March.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'answered', answeredById: care.reps[1]!.id });
  });

  it("when a consult names an agent, then that agent's teammate cannot answer it", async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const consult = await ask(owner.token, ticket.id, { agentId: billing.reps[0]!.id });
    expectNotFound(
      await f.as(billing.reps[1]!.token).post(`/consults/${consult.id}/answer`, { answer: 'Me' }),
    );
    expectForbidden(
      await f.as(owner.token).post(`/consults/${consult.id}/answer`, { answer: 'Me' }),
    );
  });
});
