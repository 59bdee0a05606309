import { useCallback, useSyncExternalStore } from 'react';

export type Visibility = 'public' | 'internal';

export interface Draft {
  body: string;
  visibility: Visibility;
  /** The ticket version the rep was looking at when writing began (sent as If-Match). */
  baseVersion: number | null;
  /** When the ticket last changed before that version: later events are what the rep missed. */
  baseUpdatedAt: string | null;
}

const EMPTY: Draft = { body: '', visibility: 'public', baseVersion: null, baseUpdatedAt: null };
const listeners = new Set<() => void>();
const cache = new Map<string, { raw: string | null; draft: Draft }>();

/** Per agent and ticket, on this device: survives a reload and a change of owner. */
function keyOf(agentId: string, ticketId: string): string {
  return `ownit:draft:${agentId}:${ticketId}`;
}

function parse(raw: string | null): Draft {
  if (!raw) return EMPTY;
  try {
    const value = JSON.parse(raw) as Partial<Draft>;
    return {
      body: typeof value.body === 'string' ? value.body : '',
      visibility: value.visibility === 'internal' ? 'internal' : 'public',
      baseVersion: typeof value.baseVersion === 'number' ? value.baseVersion : null,
      baseUpdatedAt: typeof value.baseUpdatedAt === 'string' ? value.baseUpdatedAt : null,
    };
  } catch {
    return EMPTY;
  }
}

function read(key: string): Draft {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    // Storage disabled: drafts live only as long as the page.
  }
  const cached = cache.get(key);
  if (cached && cached.raw === raw) return cached.draft;
  const draft = parse(raw);
  cache.set(key, { raw, draft });
  return draft;
}

function write(key: string, draft: Draft): void {
  try {
    if (draft.body === '' && draft.visibility === 'public') localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Full or disabled storage: the draft stays in the field, it just will not survive a reload.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key?.startsWith('ownit:draft:')) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useDraft(agentId: string, ticketId: string) {
  const key = keyOf(agentId, ticketId);
  const draft = useSyncExternalStore(subscribe, () => read(key));
  const update = useCallback(
    (change: Partial<Draft>) => write(key, { ...read(key), ...change }),
    [key],
  );
  const clear = useCallback(() => write(key, EMPTY), [key]);
  return { draft, update, clear };
}

/**
 * The rep's own change moved the ticket from `from` to `to`: a draft written against `from` has
 * seen everything, so it should not be told "someone changed it" about the rep's own action.
 */
export function acknowledgeOwnChange(
  agentId: string,
  ticketId: string,
  from: number,
  to: number,
): void {
  const key = keyOf(agentId, ticketId);
  const draft = read(key);
  if (draft.baseVersion === from) write(key, { ...draft, baseVersion: to });
}
