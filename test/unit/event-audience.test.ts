import type { Actor } from '../../src/actor';
import { messagesFor, type TicketEventFacts } from '../../src/live/event-audience';

const TEAM = 'team-a';
const facts = (overrides: Partial<TicketEventFacts> = {}): TicketEventFacts => ({
  seq: '42',
  ticketId: 'ticket-1',
  ref: 'T-000001',
  teamId: TEAM,
  ownerId: 'owner',
  createdById: 'form',
  type: 'customer_message',
  at: '2026-12-01T10:00:00.000Z',
  pendingHandoffTargets: [],
  openConsultAgents: [],
  openConsultTeams: [],
  ...overrides,
});
const actor = (id: string, role: Actor['role'], teamId: string | null): Actor => ({
  id,
  name: id,
  role,
  teamId,
});
const events = (who: Actor, f: TicketEventFacts) => messagesFor(who, f).map((m) => m.event);

describe('Who hears of a ticket event', () => {
  it('when the subscriber is on the team or an admin, then it gets the ticket event with the timeline seq as id', () => {
    expect(messagesFor(actor('rep', 'rep', TEAM), facts())).toEqual([
      {
        id: '42',
        event: 'ticket',
        data: {
          ticketId: 'ticket-1',
          ref: 'T-000001',
          teamId: TEAM,
          ownerId: 'owner',
          type: 'customer_message',
          at: '2026-12-01T10:00:00.000Z',
        },
      },
    ]);
    expect(events(actor('admin', 'admin', null), facts())).toEqual(['ticket']);
  });

  it('when the subscriber is on another team with no consult or offer, then it gets nothing', () => {
    expect(events(actor('rep', 'rep', 'team-b'), facts())).toEqual([]);
    expect(events(actor('sup', 'supervisor', 'team-b'), facts())).toEqual([]);
  });

  it('when an integration subscribes, then it hears only of tickets it created', () => {
    expect(events(actor('form', 'integration', null), facts())).toEqual(['ticket']);
    expect(events(actor('other-form', 'integration', null), facts())).toEqual([]);
  });

  it('when another team is consulted, then its reps get the ticket event and a consult event', () => {
    const consulted = facts({
      type: 'consult_asked',
      openConsultTeams: ['team-b'],
      consult: { id: 'c1', agentId: null, teamId: 'team-b' },
    });
    expect(events(actor('rep-b', 'rep', 'team-b'), consulted)).toEqual(['ticket', 'consult']);
    expect(events(actor('rep-c', 'rep', 'team-c'), consulted)).toEqual([]);
  });

  it('when a consult is answered, then the consulted agent still hears that it is gone though it can no longer read the ticket', () => {
    const answered = facts({
      type: 'consult_answered',
      consult: { id: 'c1', agentId: 'helper', teamId: 'team-b' },
    });
    expect(events(actor('helper', 'rep', 'team-b'), answered)).toEqual(['consult']);
  });

  it('when a handoff is offered or declined, then the target and the owner get a handoff event', () => {
    const offered = facts({
      type: 'handoff_offered',
      pendingHandoffTargets: ['target'],
      handoff: { id: 'h1', toAgentId: 'target' },
    });
    expect(events(actor('target', 'rep', TEAM), offered)).toEqual(['ticket', 'handoff']);
    expect(events(actor('owner', 'rep', TEAM), offered)).toEqual(['ticket', 'handoff']);
    expect(events(actor('teammate', 'rep', TEAM), offered)).toEqual(['ticket']);
    const declined = facts({
      type: 'handoff_declined',
      handoff: { id: 'h1', toAgentId: 'target' },
    });
    expect(events(actor('target', 'rep', 'team-b'), declined)).toEqual(['handoff']);
  });
});
