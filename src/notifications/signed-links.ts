import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Unguessable links scoped to one ticket and one purpose: "<ticket id>.<HMAC>" in base64url.
 * A status token cannot be used as a survey token, nor for another ticket; a bad one is just
 * "not found".
 */
export type LinkPurpose = 'status' | 'survey' | 'reply';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(secret: string, purpose: LinkPurpose, ticketId: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}:${ticketId}`).digest().subarray(0, 18);
}

export function signTicketToken(secret: string, purpose: LinkPurpose, ticketId: string): string {
  const id = Buffer.from(ticketId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${mac(secret, purpose, ticketId).toString('base64url')}`;
}

/** The ticket id a token was signed for, or null for anything forged, truncated or misused. */
export function verifyTicketToken(
  secret: string,
  purpose: LinkPurpose,
  token: string,
): string | null {
  const [idPart, macPart, extra] = token.split('.');
  if (!idPart || !macPart || extra !== undefined || idPart.length !== 22 || macPart.length !== 24)
    return null;
  const hex = Buffer.from(idPart, 'base64url').toString('hex');
  const ticketId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!UUID.test(ticketId)) return null;
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(secret, purpose, ticketId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? ticketId : null;
}

export interface TicketLinks {
  statusUrl: string;
  surveyUrl: (score: number) => string;
}

export function ticketLinks(
  settings: { linkSecret: string; publicUrl: string },
  ticketId: string,
): TicketLinks {
  const status = signTicketToken(settings.linkSecret, 'status', ticketId);
  const survey = signTicketToken(settings.linkSecret, 'survey', ticketId);
  return {
    statusUrl: `${settings.publicUrl}/status/${status}`,
    surveyUrl: (score) => `${settings.publicUrl}/survey/${survey}?score=${score}`,
  };
}
