import fc from 'fast-check';
import { forbiddenAddressKind } from '../../src/webhooks/network-guard';
import { webhookEventsFor } from '../../src/timeline/webhook-events';

describe('forbiddenAddressKind (the webhook SSRF guard)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.127.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['fd12:3456::1', 'unique local (private)'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::a00:1', 'NAT64'],
  ])('when the address is %s, then it is refused as %s', (address, kind) => {
    expect(forbiddenAddressKind(address)).toBe(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1', '100.128.0.1'])(
    'when the address is public (%s), then it is allowed',
    (address) => {
      expect(forbiddenAddressKind(address)).toBeNull();
    },
  );

  it('when any 10/8 or 127/8 address is written plainly or IPv4-mapped, then it is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(10, 127),
        fc.nat(255),
        fc.nat(255),
        fc.nat(255),
        fc.boolean(),
        (first, b, c, d, mapped) => {
          const v4 = `${first}.${b}.${c}.${d}`;
          return forbiddenAddressKind(mapped ? `::ffff:${v4}` : v4) !== null;
        },
      ),
    );
  });
});

describe('webhookEventsFor', () => {
  it('when a timeline event is one a webhook stands for, then it maps to that event', () => {
    expect(webhookEventsFor('created', {})).toEqual(['ticket.created']);
    expect(webhookEventsFor('owner_changed', {})).toEqual(['ticket.owner_changed']);
    expect(webhookEventsFor('deadline_breached', {})).toEqual(['ticket.deadline_breached']);
    expect(webhookEventsFor('resolved', {})).toEqual(['ticket.resolved']);
    expect(webhookEventsFor('reopened', {})).toEqual(['ticket.reopened']);
    expect(webhookEventsFor('email_sent', {})).toEqual([]);
  });

  it('when a score is 2 or less, then it is also satisfaction.low', () => {
    expect(webhookEventsFor('satisfaction_scored', { score: 2 })).toContain('satisfaction.low');
    expect(webhookEventsFor('satisfaction_scored', { score: 3 })).toEqual(['satisfaction.scored']);
  });
});

describe('the low-score threshold', () => {
  it('when the recovery threshold is read, then satisfaction.low uses the same one', async () => {
    const { RECOVERY_MAX_SCORE } = await import('../../src/satisfaction/satisfaction.service');
    const { LOW_SATISFACTION_MAX_SCORE } = await import('../../src/timeline/webhook-events');
    expect(LOW_SATISFACTION_MAX_SCORE).toBe(RECOVERY_MAX_SCORE);
  });
});
