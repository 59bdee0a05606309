import { ManualClock } from '../../src/clock';
import { DEFAULT_DELIVERY, drainOutbox } from '../../src/notifications/deliver-outbox';
import { createSmtpMailer, type Mailer } from '../../src/notifications/mailer';
import { Fixtures, type AgentFixture } from '../helpers/factories';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp-peer';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectForbidden, expectNotFound, expectUnauthenticated, nowhere } from './access-helpers';

/**
 * Who sees and settles failed customer emails: admins; supervisors of the ticket's team; the
 * ticket's owner. A teammate rep, another team's staff and integrations learn nothing (404 for an
 * email, 403 for another team's list); a deactivated agent and no token are 401.
 */
const settings = { ...DEFAULT_DELIVERY, mailFrom: 'support@ownit.test' };

let app: TestApp;
let f: Fixtures;
let peer: SmtpPeer;
let mailer: Mailer;

let mine: Awaited<ReturnType<Fixtures['staffedTeam']>>;
let theirs: Awaited<ReturnType<Fixtures['staffedTeam']>>;
let owner: AgentFixture;
let teammate: AgentFixture;
let integration: AgentFixture;
let ticketId: string;
let emailId: string;

beforeAll(async () => {
  app = await startTestApp({ clock: new ManualClock(new Date()), isolated: true });
  f = new Fixtures(app);
  peer = await startSmtpPeer();
  peer.only = /@customer\.test$/;
  mailer = createSmtpMailer(peer.url, { socketTimeoutMs: 1_000 });

  mine = await f.staffedTeam();
  theirs = await f.staffedTeam();
  [owner, teammate] = mine.reps as [AgentFixture, AgentFixture];
  integration = await f.agent('integration', mine.team.id);
  const ticket = await f.ticket(owner.token, mine.customer.id);
  ticketId = ticket.id;
  peer.mode = 'reject';
  await drainOutbox(app.ctx, mailer, settings);
  const [row] = await app.dataSource.query(
    `SELECT id FROM outbox_emails WHERE ticket_id = $1 AND template = 'ticket_acknowledgement' AND status = 'failed'`,
    [ticketId],
  );
  emailId = row.id;
});
afterAll(async () => {
  mailer.close();
  await peer.close();
  await app.close();
});

const listedIds = async (token: string, query = '') => {
  const res = await f.as(token).get(`/outbox${query}`);
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ id: string }>).map((i) => i.id);
};

async function stillFailed(): Promise<void> {
  const [row] = await app.dataSource.query(
    `SELECT status, resent_as_id FROM outbox_emails WHERE id = $1`,
    [emailId],
  );
  expect(row).toEqual({ status: 'failed', resent_as_id: null });
}

describe('outbox access', () => {
  it('when the owner, a supervisor of the team or an admin lists failed emails, then the email is there', async () => {
    expect(await listedIds(owner.token)).toContain(emailId);
    expect(await listedIds(mine.supervisor.token, `?teamId=${mine.team.id}`)).toContain(emailId);
    expect(await listedIds(app.adminToken, `?teamId=${mine.team.id}&status=failed`)).toContain(
      emailId,
    );
    expect(await listedIds(app.adminToken, `?teamId=${theirs.team.id}`)).not.toContain(emailId);
    for (const token of [owner.token, mine.supervisor.token, app.adminToken]) {
      expect((await f.as(token).get(`/outbox/${emailId}`)).status).toBe(200);
    }
  });

  it('when a rep of the team does not own the ticket, then the email is not listed and cannot be read, resent or dismissed', async () => {
    expect(await listedIds(teammate.token)).not.toContain(emailId);
    expect(await listedIds(teammate.token, `?ticketId=${ticketId}`)).toEqual([]);
    expectNotFound(await f.as(teammate.token).get(`/outbox/${emailId}`));
    expectNotFound(await f.as(teammate.token).post(`/outbox/${emailId}/resend`));
    expectNotFound(
      await f.as(teammate.token).post(`/outbox/${emailId}/dismiss`, { note: 'not mine' }),
    );
    await stillFailed();
  });

  it("when another team's rep or supervisor asks, then they get nothing: not listed, 403 for the team's list, 404 for the email", async () => {
    for (const agent of [theirs.reps[0]!, theirs.supervisor]) {
      expect(await listedIds(agent.token)).not.toContain(emailId);
      expect(await listedIds(agent.token, `?ticketId=${ticketId}`)).toEqual([]);
      expectForbidden(await f.as(agent.token).get(`/outbox?teamId=${mine.team.id}`));
      expectNotFound(await f.as(agent.token).get(`/outbox/${emailId}`));
      expectNotFound(await f.as(agent.token).post(`/outbox/${emailId}/resend`));
      expectNotFound(
        await f.as(agent.token).post(`/outbox/${emailId}/dismiss`, { note: 'not ours' }),
      );
    }
    await stillFailed();
  });

  it('when an integration asks, then the list and every action are refused', async () => {
    expectForbidden(await f.as(integration.token).get('/outbox'));
    expectForbidden(await f.as(integration.token).get(`/outbox/${emailId}`));
    expectForbidden(await f.as(integration.token).post(`/outbox/${emailId}/resend`));
    expectForbidden(
      await f.as(integration.token).post(`/outbox/${emailId}/dismiss`, { note: 'bot' }),
    );
    await stillFailed();
  });

  it('when there is no token, or the agent was deactivated, then every outbox request is 401', async () => {
    const leaver = await f.agent('supervisor', mine.team.id);
    expect((await f.admin().patch(`/agents/${leaver.id}`, { active: false })).status).toBe(200);
    for (const token of [undefined, leaver.token]) {
      expectUnauthenticated(await f.as(token).get('/outbox'));
      expectUnauthenticated(await f.as(token).get(`/outbox/${emailId}`));
      expectUnauthenticated(await f.as(token).post(`/outbox/${emailId}/resend`));
      expectUnauthenticated(await f.as(token).post(`/outbox/${emailId}/dismiss`, { note: 'gone' }));
    }
    await stillFailed();
  });

  it('when an email id names nothing or no customer email, then 404', async () => {
    expectNotFound(await f.admin().get(`/outbox/${nowhere()}`));
    expectNotFound(await f.admin().post(`/outbox/${nowhere()}/resend`));
    expectNotFound(await f.admin().get('/outbox/not-a-uuid'));
    // The owner's notice of the failure is a staff email: not part of this outbox.
    const [staffEmail] = await app.dataSource.query(
      `SELECT id FROM outbox_emails WHERE ticket_id = $1 AND template = 'customer_email_failed'`,
      [ticketId],
    );
    expectNotFound(await f.admin().get(`/outbox/${staffEmail.id}`));
  });
});
