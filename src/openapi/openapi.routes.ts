import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { openApiDocument } from './document';

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OwnIt API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/ownit-init.js"></script></body></html>`;

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui' });`;

/** GET /api/v1/openapi.json (the document) and /api/docs (Swagger UI on it); no sign-in needed. */
export function openApiRoutes(): Router {
  const router = Router();
  const document = JSON.stringify(openApiDocument());
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.get('/api/docs/ownit-init.js', (_req, res) => {
    res.type('application/javascript').send(INIT_SCRIPT);
  });
  router.use('/api/docs', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1h' }));
  return router;
}
