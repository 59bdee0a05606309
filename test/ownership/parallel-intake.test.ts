import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/*
 * Auto-assignment without a team lock: each create row-locks the load of the rep it picks and
 * skips reps other creates hold. Every request is fired at the listening server at once
 * (Promise.all, a pool of 8 connections), so Postgres's locks decide who gets which rep.
 */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ pool: { size: 8 } });
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** Each agent's kept open count next to the count of its open tickets. */
async function loadsOf(agentIds: string[]) {
  return app.dataSource.query(
    `SELECT a.id,
            l.open_count AS kept,
            (SELECT count(*)::int FROM tickets t
              WHERE t.owner_id = a.id AND t.status IN ('open', 'waiting_on_customer')) AS counted
       FROM agents a JOIN agent_loads l ON l.agent_id = a.id
      WHERE a.id = ANY($1::uuid[])`,
    [agentIds],
  ) as Promise<Array<{ id: string; kept: number; counted: number }>>;
}

describe('parallel intake', () => {
  it('when 40 creates race for 6 reps with capacity 3, then no rep is overfilled and the rest go to the supervisor', async () => {
    const { team, supervisor, reps, customer } = await f.staffedTeam({ reps: 6, capacity: 3 });
    const integration = await f.agent('integration', team.id);
    const n = 40;

    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        f.as(integration.token).post('/tickets', {
          customerId: customer.id,
          subject: `Parallel web form ${i}`,
          description: 'Parallel',
          channel: 'web',
          teamId: team.id,
        }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array<number>(n).fill(201));
    const owners = responses.map((r) => r.body.ownerId as string);
    // Capacity is full for every rep (18 tickets), never more; the supervisor takes the rest.
    for (const rep of reps) expect(owners.filter((o) => o === rep.id)).toHaveLength(3);
    expect(owners.filter((o) => o === supervisor.id)).toHaveLength(n - 18);
    for (const load of await loadsOf([...reps.map((r) => r.id), supervisor.id])) {
      expect(load.kept).toBe(load.counted);
    }
  });

  it('when creates race while tickets are handed off, resolved and reopened, then every kept count equals the open tickets', async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 3, capacity: 50 });
    const [repA, repB] = reps as [(typeof reps)[0], (typeof reps)[0]];
    const integration = await f.agent('integration', team.id);
    const own = await Promise.all(
      Array.from({ length: 4 }, () => f.ticket(repA.token, customer.id)),
    );

    const results = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        f.as(integration.token).post('/tickets', {
          customerId: customer.id,
          subject: `Mixed ${i}`,
          description: 'Parallel',
          channel: 'web',
          teamId: team.id,
        }),
      ),
      f
        .as(repA.token)
        .post(`/tickets/${own[0]!.id}/handoffs`, { toAgentId: repB.id, note: 'yours' })
        .then((offer) => f.as(repB.token).post(`/handoffs/${offer.body.id}/accept`, {})),
      f.as(repA.token).post(`/tickets/${own[1]!.id}/resolve`, {
        resolution: 'Fixed',
        rootCause: { silo: 'network', category: 'outage' },
      }),
      f
        .as(repA.token)
        .post(`/tickets/${own[2]!.id}/resolve`, {
          resolution: 'Fixed',
          rootCause: { silo: 'network', category: 'outage' },
        })
        .then(() => f.as(repA.token).post(`/tickets/${own[2]!.id}/reopen`, { reason: 'Again' })),
    ]);

    for (const res of results) expect([200, 201]).toContain(res.status);
    const loads = await loadsOf(reps.map((r) => r.id));
    expect(loads).toHaveLength(3);
    for (const load of loads) expect(load.kept).toBe(load.counted);
  });
});
