import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { updateReturning } from '../db/update-returning';
import type { EmailPayloads } from './email-payloads';
import { queueEmail } from './queue-email';

const DAY_MS = 86_400_000;

/**
 * Staff who chose a daily digest get their held escalations as one email once the oldest has
 * waited a day. Held rows become 'digested' in the same transaction as the digest is queued.
 */
export async function sendDueDigests(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now();
  const due: Array<{ agent_id: string }> = await ctx.dataSource.query(
    `SELECT agent_id FROM outbox_emails
      WHERE status = 'held' AND agent_id IS NOT NULL
      GROUP BY agent_id HAVING min(created_at) <= $1`,
    [new Date(now.getTime() - DAY_MS)],
  );
  for (const { agent_id: agentId } of due) {
    await inTransaction(ctx.dataSource, async (manager) => {
      // Only escalations are held for a digest (enforce-deadline.ts, holdForDigest).
      const held = await updateReturning<{
        id: string;
        to_address: string;
        payload: EmailPayloads['escalation'];
      }>(
        manager,
        `UPDATE outbox_emails SET status = 'digested'
          WHERE id IN (SELECT id FROM outbox_emails WHERE status = 'held' AND agent_id = $1
                        ORDER BY created_at FOR UPDATE SKIP LOCKED)
          RETURNING id, to_address, payload`,
        [agentId],
      );
      if (held.length === 0) return;
      await queueEmail(manager, {
        key: `digest:${agentId}:${held.map((h) => h.id).sort()[0]}`,
        template: 'escalation_digest',
        toAddress: held[0]!.to_address,
        agentId,
        payload: { agentName: held[0]!.payload.agentName, items: held.map((h) => h.payload) },
        at: now,
      });
    });
  }
  return due.length;
}
