import { useEffect, useRef } from 'react';

export interface QueueKeyHandlers {
  next(): void;
  previous(): void;
  open(): void;
  help(): void;
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('[role="dialog"]') !== null
  );
}

/** j / k / Enter / ? on the queue, ignored while typing in a field or inside a dialog. */
export function useQueueKeys(handlers: QueueKeyHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      const h = latest.current;
      if (event.key === 'j') h.next();
      else if (event.key === 'k') h.previous();
      else if (event.key === '?') h.help();
      else if (
        event.key === 'Enter' &&
        !(event.target instanceof HTMLAnchorElement) &&
        !(event.target instanceof HTMLButtonElement)
      )
        h.open();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
