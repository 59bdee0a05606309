import { Router, type Request, type Response } from 'express';
import type { ServiceContext } from '../context';
import { actorOf } from '../http/request-context';
import { parseQuery } from '../http/validate';
import { atRiskCsvRows, atRiskReport } from './at-risk-report';
import { toCsv } from './csv';
import { rootCauseCsvRows, rootCauseReport } from './root-cause-report';
import { atRiskReportQuery, rootCauseReportQuery, slaReportQuery } from './reports.input';
import { slaCsvRows, slaReport } from './sla-report';

/** JSON unless `?format=csv`, or an Accept header that prefers text/csv (`?format=json` wins). */
function wantsCsv(req: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

function send<T>(
  req: Request,
  res: Response,
  format: 'json' | 'csv' | undefined,
  report: T,
  name: string,
  csv: (report: T) => { header: string[]; rows: unknown[][] },
): void {
  res.vary('Accept');
  if (!wantsCsv(req, format)) {
    res.json(report);
    return;
  }
  const { header, rows } = csv(report);
  res
    .status(200)
    .type('text/csv; charset=utf-8; header=present')
    .attachment(`${name}.csv`)
    .send(toCsv(header, rows));
}

export function reportsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/reports/sla', async (req, res) => {
    const query = parseQuery(slaReportQuery, req.query);
    send(req, res, query.format, await slaReport(ctx, actorOf(res), query), 'sla', slaCsvRows);
  });
  router.get('/reports/root-causes', async (req, res) => {
    const query = parseQuery(rootCauseReportQuery, req.query);
    const report = await rootCauseReport(ctx, actorOf(res), query);
    send(req, res, query.format, report, 'root-causes', rootCauseCsvRows);
  });
  router.get('/reports/at-risk-customers', async (req, res) => {
    const query = parseQuery(atRiskReportQuery, req.query);
    const report = await atRiskReport(ctx, actorOf(res), query);
    send(req, res, query.format, report, 'at-risk-customers', atRiskCsvRows);
  });
  return router;
}
