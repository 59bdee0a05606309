import { Client, type Notification } from 'pg';
import type { DataSource } from 'typeorm';
import type { Actor } from '../actor';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { messagesFor, mayReadTicket, type LiveMessage } from './event-audience';
import { currentViewers, sweepStalePresence, PRESENCE_CHANNEL } from './presence.service';
import { loadEventFacts, loadEventsAfter, type EventNotice } from './ticket-event-facts';

const EVENTS_CHANNEL = 'ownit_events';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SWEEP_EVERY_MS = 10_000;
const MAX_CATCH_UP = 1000;

export interface LiveSubscriber {
  actor: Actor;
  send(message: LiveMessage): void;
  /** Ends the subscriber's stream (the hub is closing). */
  end(): void;
}

/**
 * One per API process: a dedicated Postgres connection LISTENs to ticket events and presence
 * changes (any process's writes, delivered at commit) and hands each subscriber what it may read.
 * Listens only while someone is subscribed. After a lost connection it reconnects and sends what
 * was committed meanwhile, from the timeline.
 */
export class LiveEventHub {
  private readonly subscribers = new Set<LiveSubscriber>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private lastSeq: string | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Notifications are handled one at a time, in the order Postgres delivered them. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the hub is listening, so nothing committed after this call is missed. */
  async subscribe(subscriber: LiveSubscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    await this.listen();
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) void this.stopListening();
    };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
    await this.stopListening();
  }

  private async listen(): Promise<void> {
    if (this.client || this.closed) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  private async connect(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'ownit-live' });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      this.queue = this.queue.then(() => this.handle(message)).catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${PRESENCE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.sweepTimer ??= setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
    if (this.lastSeq) await this.catchUp(this.lastSeq);
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return; // not (or no longer) the listening connection
    this.client = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.closed || this.subscribers.size === 0) return;
    this.logger.warn({ err: error }, 'live events: Postgres connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.subscribers.size === 0) return;
      this.listen().catch((failure: unknown) => {
        this.logger.warn({ err: failure }, 'live events: reconnect failed; trying again');
        this.scheduleReconnect();
      });
    }, 1000);
  }

  private async stopListening(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    if (this.connecting) await this.connecting.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client && this.subscribers.size === 0) await client.end().catch(() => undefined);
    else if (client) this.client = client;
  }

  private async handle(message: Notification): Promise<void> {
    if (!message.payload) return;
    try {
      if (message.channel === EVENTS_CHANNEL) {
        await this.handleTicketEvent(JSON.parse(message.payload) as EventNotice);
      } else if (message.channel === PRESENCE_CHANNEL) {
        await this.handlePresence((JSON.parse(message.payload) as { ticketId: string }).ticketId);
      }
    } catch (error) {
      this.logger.warn({ err: error, channel: message.channel }, 'live events: notice dropped');
    }
  }

  private async handleTicketEvent(notice: EventNotice): Promise<void> {
    this.lastSeq = notice.seq;
    if (this.subscribers.size === 0 || !UUID.test(notice.ticketId)) return;
    const clean = (value: string | null) => (value && UUID.test(value) ? value : null);
    const facts = await loadEventFacts(this.dataSource.manager, {
      ...notice,
      handoffId: clean(notice.handoffId),
      toAgentId: clean(notice.toAgentId),
      consultId: clean(notice.consultId),
    });
    if (!facts) return;
    for (const subscriber of this.subscribers) {
      for (const message of messagesFor(subscriber.actor, facts)) subscriber.send(message);
    }
  }

  private async handlePresence(ticketId: string): Promise<void> {
    if (this.subscribers.size === 0 || !UUID.test(ticketId)) return;
    const facts = await loadEventFacts(this.dataSource.manager, {
      seq: '0',
      ticketId,
      type: 'presence',
      at: this.clock.now().toISOString(),
      handoffId: null,
      toAgentId: null,
      consultId: null,
    });
    if (!facts) return;
    const viewers = await currentViewers(this.dataSource.manager, ticketId, this.clock.now());
    for (const subscriber of this.subscribers) {
      if (mayReadTicket(subscriber.actor, facts)) {
        subscriber.send({ event: 'presence', data: { ticketId, viewers } });
      }
    }
  }

  /** After a reconnect: what was committed while the connection was down, in order. */
  private async catchUp(afterSeq: string): Promise<void> {
    const missed = await loadEventsAfter(this.dataSource.manager, afterSeq, MAX_CATCH_UP);
    for (const facts of missed) {
      this.lastSeq = facts.seq;
      for (const subscriber of this.subscribers) {
        for (const message of messagesFor(subscriber.actor, facts)) subscriber.send(message);
      }
    }
  }

  /** Viewers whose heartbeats stopped (a closed tab) leave; whoever deletes them announces it. */
  private async sweep(): Promise<void> {
    try {
      await sweepStalePresence(this.dataSource, this.clock.now());
    } catch (error) {
      this.logger.debug({ err: error }, 'live events: presence sweep failed');
    }
  }
}
