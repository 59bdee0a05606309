import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isAdmin, type Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Forbidden, NotFound } from '../errors';
import { secretBoxOf } from '../system/secret-box';
import { requireTeamForField } from '../team-admin/teams.service';
import { parseMailboxUrl } from './mailbox-url';
import { MAILBOX_COLUMNS, mailboxView, type MailboxRow } from './mailbox.view';
import type { CreateMailboxInput, UpdateMailboxInput } from './mailboxes.input';
import { InvalidInput } from '../errors';

const DEFAULT_PROCESSED_FOLDER = 'Processed';

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin can manage mailboxes.');
}

async function findMailbox(manager: EntityManager, id: string): Promise<MailboxRow> {
  const [row]: MailboxRow[] = await manager.query(
    `SELECT ${MAILBOX_COLUMNS} FROM mailboxes m WHERE m.id = $1`,
    [id],
  );
  if (!row) throw new NotFound(`No mailbox ${id}.`);
  return row;
}

/**
 * Connects a team's support mailbox. Each mailbox acts through an integration agent of its own
 * (tickets and timeline events name who brought them in); that agent has no usable token.
 */
export async function createMailbox(ctx: ServiceContext, actor: Actor, input: CreateMailboxInput) {
  requireAdmin(actor);
  const address = parseMailboxUrl(input.url);
  if (!address.password) throw InvalidInput.field('url', 'must include the password');
  const box = await secretBoxOf(ctx.dataSource, ctx.settings.secretsKey);
  const now = ctx.clock.now();
  const id = await ctx.dataSource.transaction(async (manager) => {
    await requireTeamForField(manager, input.teamId, 'teamId');
    const [agent]: Array<{ id: string }> = await manager.query(
      `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
       VALUES ($1, $2, 'integration', $3, 0, $4) RETURNING id`,
      [
        `Mailbox ${address.username}@${address.host}`.slice(0, 200),
        `mailbox-${randomBytes(8).toString('hex')}@mailboxes.ownit.invalid`,
        input.teamId,
        // No token is ever issued for it: the hash of random bytes matches nothing.
        createHash('sha256').update(randomBytes(32)).digest('hex'),
      ],
    );
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO mailboxes (team_id, agent_id, secure, host, port, username, password_encrypted,
         folder, processed_folder, enabled, state, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'connecting', $11, $11) RETURNING id`,
      [
        input.teamId,
        agent!.id,
        address.secure,
        address.host,
        address.port,
        address.username,
        box.seal(address.password),
        address.folder,
        input.processedFolder ?? DEFAULT_PROCESSED_FOLDER,
        input.enabled ?? true,
        now,
      ],
    );
    return row!.id;
  });
  return mailboxView(await findMailbox(ctx.dataSource.manager, id));
}

export async function getMailbox(ctx: ServiceContext, actor: Actor, id: string) {
  requireAdmin(actor);
  return mailboxView(await findMailbox(ctx.dataSource.manager, id));
}

export async function listMailboxes(ctx: ServiceContext, actor: Actor) {
  requireAdmin(actor);
  const rows: MailboxRow[] = await ctx.dataSource.query(
    `SELECT ${MAILBOX_COLUMNS} FROM mailboxes m ORDER BY m.created_at, m.id`,
  );
  return rows.map(mailboxView);
}

/** A change of server, credentials or folders makes the worker reconnect (updated_at moves). */
export async function updateMailbox(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: UpdateMailboxInput,
) {
  requireAdmin(actor);
  const address = input.url !== undefined ? parseMailboxUrl(input.url) : undefined;
  const box = await secretBoxOf(ctx.dataSource, ctx.settings.secretsKey);
  const now = ctx.clock.now();
  await ctx.dataSource.transaction(async (manager) => {
    const current = await findMailbox(manager, id);
    if (input.teamId) await requireTeamForField(manager, input.teamId, 'teamId');
    const teamId = input.teamId ?? current.team_id;
    await manager.query(
      `UPDATE mailboxes SET team_id = $2, secure = $3, host = $4, port = $5, username = $6,
         password_encrypted = $7, folder = $8, processed_folder = $9, enabled = $10,
         state = 'connecting', last_error = NULL, last_error_at = NULL, updated_at = $11
       WHERE id = $1`,
      [
        id,
        teamId,
        address?.secure ?? current.secure,
        address?.host ?? current.host,
        address?.port ?? current.port,
        address?.username ?? current.username,
        address?.password ? box.seal(address.password) : current.password_encrypted,
        address?.folder ?? current.folder,
        input.processedFolder ?? current.processed_folder,
        input.enabled ?? current.enabled,
        now,
      ],
    );
    if (teamId !== current.team_id) {
      await manager.query(`UPDATE agents SET team_id = $2 WHERE id = $1`, [
        current.agent_id,
        teamId,
      ]);
    }
  });
  return mailboxView(await findMailbox(ctx.dataSource.manager, id));
}

/** Disconnects and forgets the mailbox; its agent stays (inactive) for the timeline's sake. */
export async function deleteMailbox(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  await ctx.dataSource.transaction(async (manager) => {
    const current = await findMailbox(manager, id);
    await manager.query(`DELETE FROM mailboxes WHERE id = $1`, [id]);
    await manager.query(`UPDATE agents SET active = false WHERE id = $1`, [current.agent_id]);
  });
}
