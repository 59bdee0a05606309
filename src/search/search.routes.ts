import { Router } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { staffOnly } from '../http/request-context';
import { parseQuery } from '../http/validate';
import { search } from './search.service';

const searchQuery = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});

export function searchRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const { q } = parseQuery(searchQuery, req.query);
    res.json(await search(ctx, staffOnly(res), q));
  });
  return router;
}
