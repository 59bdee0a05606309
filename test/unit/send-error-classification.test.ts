import { classifySendError } from '../../src/notifications/mailer';

/** Shapes of nodemailer errors, as observed against smtp-server. */
describe('classifying SMTP failures', () => {
  it('when the recipient is refused for good (5xx to RCPT TO), then it is permanent', () => {
    expect(
      classifySendError({
        code: 'EENVELOPE',
        command: 'RCPT TO',
        responseCode: 550,
        response: '550 no such user',
      }).kind,
    ).toBe('permanent');
  });

  it('when the message body is refused (5xx to DATA), then it is permanent', () => {
    expect(classifySendError({ code: 'EMESSAGE', command: 'DATA', responseCode: 554 }).kind).toBe(
      'permanent',
    );
  });

  it('when the server defers (4xx), then it is retried', () => {
    expect(
      classifySendError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451 }).kind,
    ).toBe('retry');
  });

  it('when our credentials or sender are refused, then it is retried, not failed for every email', () => {
    expect(
      classifySendError({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }).kind,
    ).toBe('retry');
    expect(
      classifySendError({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 553 }).kind,
    ).toBe('retry');
  });

  it('when the server cannot be reached, then it is retried', () => {
    expect(classifySendError({ code: 'ESOCKET', command: 'CONN' }).kind).toBe('retry');
    expect(
      classifySendError({ code: 'ETIMEDOUT', command: 'CONN', message: 'Connection timeout' }).kind,
    ).toBe('retry');
  });

  it('when the session times out after it was established, then it is ambiguous', () => {
    expect(classifySendError({ code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' }).kind).toBe(
      'ambiguous',
    );
  });
});

describe('classifying a dropped connection', () => {
  it('when the server closes the connection mid-session (perhaps after the final dot), then it is ambiguous', () => {
    expect(
      classifySendError({
        code: 'ECONNECTION',
        command: 'CONN',
        message: 'Connection closed unexpectedly',
      }).kind,
    ).toBe('ambiguous');
  });
});
