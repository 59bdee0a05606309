import express from 'express';
import request from 'supertest';
import { limitConcurrency } from '../../src/http/limit-concurrency';

/** Heavy reports run a few at a time; a request that waits too long gets 503, not a stall. */
describe('limiting concurrent reports', () => {
  it('when more reports arrive than may run, then the extra ones wait their turn, and past the wait get 503 with Retry-After', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const app = express();
    app.get('/report', limitConcurrency(1, 300), async (_req, res) => {
      await gate;
      res.json({ ok: true });
    });
    const server = app.listen(0);
    try {
      const first = request(server)
        .get('/report')
        .then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const waited = await request(server).get('/report');
      expect(waited.status).toBe(503);
      expect(waited.headers['retry-after']).toBeDefined();
      expect(waited.headers['content-type']).toMatch(/problem\+json/);
      const queued = request(server)
        .get('/report')
        .then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 50));
      open();
      expect((await first).status).toBe(200);
      expect((await queued).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
