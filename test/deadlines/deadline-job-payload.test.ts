import { parseDeadlineJobPayload } from '../../src/worker/deadline-job-payload';

const valid = {
  ticketId: '6f1c1c55-9c55-4c1e-8f5e-2f0a3a9c9b11',
  kind: 'first_response',
  version: 3,
  step: 'breached',
};

describe('Deadline job payloads at the handler door', () => {
  it('when a job carries ticket, kind, version and step, then the handler gets exactly those', () => {
    expect(parseDeadlineJobPayload({ ...valid, extra: 'ignored' })).toEqual({
      ok: true,
      payload: valid,
    });
  });

  it('when a job has no ticket id, then it is refused naming the field', () => {
    const result = parseDeadlineJobPayload({ ...valid, ticketId: undefined });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain('ticketId');
  });

  it.each([
    ['an unknown step', { ...valid, step: 'escalated' }, 'step'],
    ['an unknown kind', { ...valid, kind: 'resolution' }, 'kind'],
    ['a version that is not a positive integer', { ...valid, version: 0.5 }, 'version'],
    ['a ticket id that is not a UUID', { ...valid, ticketId: 'T-000001' }, 'ticketId'],
  ])('when a job has %s, then it is refused naming the field', (_what, data, field) => {
    const result = parseDeadlineJobPayload(data);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(field);
  });

  it('when the data is not an object at all, then it is refused', () => {
    expect(parseDeadlineJobPayload(null).ok).toBe(false);
    expect(parseDeadlineJobPayload('deadline').ok).toBe(false);
  });
});
