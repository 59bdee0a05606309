/** The kinds of trouble a customer email can be in, as a rep would put them (keys of emails.problems). */
export type EmailProblem =
  | 'ambiguous'
  | 'addressRejected'
  | 'refused'
  | 'gaveUp'
  | 'unreachable'
  | 'render'
  | 'attachment'
  | 'unknown';

/**
 * Turns the mail server's last answer (as the worker recorded it: "550 no such user", "gave up
 * after 9 attempts: …", "could not render: …") into one of a few plain explanations; the page
 * shows the server's own words beside it for whoever needs them.
 */
export function emailProblemOf(status: string, lastError: string | null): EmailProblem {
  if (status === 'ambiguous') return 'ambiguous';
  const error = lastError ?? '';
  if (/^could not render/i.test(error)) return 'render';
  if (/attachment/i.test(error)) return 'attachment';
  if (/^gave up after/i.test(error)) return 'gaveUp';
  if (/^5\d\d\b|\b5\.\d{1,3}\.\d{1,3}\b/.test(error)) {
    return /user|mailbox|recipient|address|exist|unknown|invalid/i.test(error)
      ? 'addressRejected'
      : 'refused';
  }
  if (/ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|connect|timeout|timed out/i.test(error)) {
    return 'unreachable';
  }
  return 'unknown';
}
