import { checkResponses, type RecordedResponse } from '../helpers/contract-check';

/**
 * The response-vs-document check itself (test/helpers/contract-check.ts, run by every test
 * file's app on close): it passes what the document describes and names what it does not.
 */
const problem = (status: number) =>
  Buffer.from(JSON.stringify({ type: '/problems/x', title: 'X', status, detail: 'x' }));

const response = (overrides: Partial<RecordedResponse>): RecordedResponse => ({
  method: 'GET',
  route: '/api/v1/tickets/:id',
  status: 404,
  contentType: 'application/problem+json; charset=utf-8',
  body: problem(404),
  ...overrides,
});

describe('the response-vs-document check', () => {
  it('when a response is what the document describes, then it passes and counts as covered', () => {
    const result = checkResponses([response({})]);
    expect(result.failures).toEqual([]);
    expect(result.operations).toEqual({ 'GET /api/v1/tickets/{id}': { 404: 1 } });
  });

  it('when the route has no operation, then the check names it', () => {
    const result = checkResponses([response({ method: 'PUT' })]);
    expect(result.failures).toEqual([
      expect.stringContaining('PUT /api/v1/tickets/{id} → 404: no such operation'),
    ]);
  });

  it('when the status is not documented, then the check lists the documented ones', () => {
    const result = checkResponses([response({ status: 418, body: problem(418) })]);
    expect(result.failures).toEqual([
      expect.stringMatching(/GET \/api\/v1\/tickets\/\{id\} → 418: status not documented .*404/),
    ]);
  });

  it('when an error comes as plain JSON, then the content type is named', () => {
    const result = checkResponses([response({ contentType: 'application/json' })]);
    expect(result.failures).toEqual([
      expect.stringContaining('content type "application/json" not documented'),
    ]);
  });

  it('when a body misses a required field, then the schema error names it, once for many alike', () => {
    const body = Buffer.from(JSON.stringify({ type: '/problems/x', title: 'X', status: 404 }));
    const result = checkResponses([response({ body }), response({ body })]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toContain("must have required property 'detail'");
    expect(result.failures[0]).toContain('and 1 more response(s) like it');
  });

  it('when a ticket lacks its fields, then the success body fails the ticket schema', () => {
    const result = checkResponses([
      response({
        status: 200,
        contentType: 'application/json; charset=utf-8',
        body: Buffer.from(JSON.stringify({ id: 'not-a-uuid', ref: 'T-1' })),
      }),
    ]);
    expect(result.failures[0]).toContain('the body does not match the documented schema');
    expect(result.failures[0]).toContain("must have required property 'status'");
  });
});
