import { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { actorOf, sessionOf, staffOnly, ticketParam } from '../http/request-context';
import { isSessionLive } from '../sessions/session-store';
import { authSettingsOf } from '../sessions/sign-in.service';
import { messagesFor, type LiveMessage } from './event-audience';
import type { LiveEventHub, LiveSubscriber } from './live-event-hub';
import { markViewing, stopViewing } from './presence.service';
import { eventTimeOf, latestEventSeq, loadEventsAfter } from './ticket-event-facts';

const HEARTBEAT_MS = 20_000;
/** How far back Last-Event-ID can reach; older, or more than REPLAY_LIMIT missed: reset. */
const REPLAY_WINDOW_MS = 24 * 3_600_000;
const REPLAY_LIMIT = 1000;
/** Events of all teams read at most to find what this reader missed. */
const REPLAY_SCAN_LIMIT = 20_000;

function format(message: LiveMessage): string {
  const id = message.id ? `id: ${message.id}\n` : '';
  return `${id}event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

function lastEventIdOf(req: Request): string | undefined {
  const raw = req.get('last-event-id') ?? (req.query.lastEventId as string | undefined);
  return raw && /^\d{1,18}$/.test(raw.trim()) ? raw.trim() : undefined;
}

/** Still allowed to listen: the agent is active and, for a cookie, the session is live. */
async function stillSignedIn(
  ctx: ServiceContext,
  dataSource: DataSource,
  actor: Actor,
  sessionId: string | undefined,
): Promise<boolean> {
  if (sessionId) {
    return isSessionLive(dataSource, authSettingsOf(ctx), sessionId, ctx.clock.now());
  }
  const rows: Array<{ active: boolean }> = await dataSource.query(
    `SELECT active FROM agents WHERE id = $1`,
    [actor.id],
  );
  return rows[0]?.active === true;
}

/**
 * GET /events: a server-sent event stream of what changes on the tickets the caller may read.
 * Each ticket event's id is the timeline's seq; reconnecting with Last-Event-ID replays what was
 * missed. The stream ends when the agent is deactivated or its session ends.
 */
export function liveRoutes(ctx: ServiceContext, hub: LiveEventHub): Router {
  const router = Router();

  router.get('/events', async (req: Request, res: Response) => {
    const actor = actorOf(res);
    const sessionId = sessionOf(res)?.id;
    const resumeFrom = lastEventIdOf(req);

    let replaying = true;
    /** Live messages held while the replay is read, and the last event id the replay covered. */
    const held: LiveMessage[] = [];
    let replayedUpTo = resumeFrom ?? '0';
    let open = true;
    const write = (message: LiveMessage) => {
      if (open) res.write(format(message));
    };
    const subscriber: LiveSubscriber = {
      actor,
      send: (message) => (replaying ? held.push(message) : write(message)),
      end: () => res.end(),
    };
    // Listening starts before the replay is read, so nothing falls between the two.
    const unsubscribe = await hub.subscribe(subscriber);

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\nretry: 3000\n\n');

    const heartbeat = setInterval(() => {
      void stillSignedIn(ctx, ctx.dataSource, actor, sessionId)
        .then((signedIn) => {
          if (!signedIn) res.end();
          else if (open) res.write(': heartbeat\n\n');
        })
        .catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      open = false;
      clearInterval(heartbeat);
      unsubscribe();
    };
    res.on('close', stop);

    try {
      if (resumeFrom) {
        const since = new Date(ctx.clock.now().getTime() - REPLAY_WINDOW_MS);
        // The window is judged on the resume point itself: events of other teams (or written
        // under another clock) between it and now say nothing about what this reader missed.
        const resumedAt = await eventTimeOf(ctx.dataSource.manager, resumeFrom);
        const scanned = await loadEventsAfter(
          ctx.dataSource.manager,
          resumeFrom,
          REPLAY_SCAN_LIMIT + 1,
        );
        const missed = scanned.filter((facts) => messagesFor(actor, facts).length > 0);
        const tooOld = resumedAt !== undefined && resumedAt < since;
        if (scanned.length > REPLAY_SCAN_LIMIT || missed.length > REPLAY_LIMIT || tooOld) {
          // Too much was missed to replay: the client reloads what it shows, then follows live.
          replayedUpTo = await latestEventSeq(ctx.dataSource.manager);
          write({ id: replayedUpTo, event: 'reset', data: { reason: 'too many missed events' } });
        } else {
          for (const facts of missed) {
            for (const message of messagesFor(actor, facts)) write(message);
          }
          replayedUpTo = scanned.at(-1)?.seq ?? resumeFrom;
        }
      }
    } finally {
      replaying = false;
      // Several messages share one event id (ticket + handoff): skip what the replay already sent.
      for (const message of held.splice(0)) {
        if (!message.id || BigInt(message.id) > BigInt(replayedUpTo)) write(message);
      }
    }
  });

  router.post('/tickets/:id/presence', async (req, res) => {
    res.json(await markViewing(ctx, staffOnly(res), ticketParam(req)));
  });

  router.delete('/tickets/:id/presence', async (req, res) => {
    await stopViewing(ctx, staffOnly(res), ticketParam(req));
    res.status(204).end();
  });
  return router;
}
