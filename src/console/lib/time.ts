import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';

const MINUTE = 60_000;

/** The current time, refreshed every `everyMs` so countdowns move on their own. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function formatDuration(ms: number, t: TFunction): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  if (minutes < 1) return t('duration.lessThanMinute');
  if (minutes < 60) return t('duration.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest === 0
      ? t('duration.hours', { h: hours })
      : t('duration.hoursMinutes', { h: hours, m: rest });
  }
  return t('duration.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

export interface Countdown {
  label: string;
  overdue: boolean;
}

/** "due in 42 min" or "overdue by 1 h 5 min". */
export function countdown(dueAt: string, now: number, t: TFunction): Countdown {
  const remaining = Date.parse(dueAt) - now;
  const duration = formatDuration(remaining, t);
  return remaining < 0
    ? { label: t('deadline.overdueBy', { duration }), overdue: true }
    : { label: t('deadline.dueIn', { duration }), overdue: false };
}

// Building an Intl formatter is costly; a queue of 200 rows must not build 200 of them.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(iso: string, language: string): string {
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(language, formatter);
  }
  return formatter.format(new Date(iso));
}
