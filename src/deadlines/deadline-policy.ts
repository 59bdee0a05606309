import type { BusinessCalendar } from '../teams/business-calendar';
import { closeOfArrivalBusinessDay, closeOfNextBusinessDay } from './calendar';

/**
 * When the owner must answer: first response by the close of the arrival business day;
 * after each public update, the next update by the close of the next business day.
 */
export function computeFirstResponseDue(receivedAt: Date, calendar: BusinessCalendar): Date {
  return closeOfArrivalBusinessDay(receivedAt, calendar).at;
}

export function computeNextUpdateDue(updatedAt: Date, calendar: BusinessCalendar): Date {
  return closeOfNextBusinessDay(updatedAt, calendar).at;
}
