import type { Operation } from '../operation';
import {
  atRiskReportQuery,
  rootCauseReportQuery,
  slaReportQuery,
} from '../../reports/reports.input';

/** reports: every route of src/reports/. */
export const reportsOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/reports/sla',
    query: slaReportQuery,
    success: 200,
    alsoTypes: [{ type: 'text/csv' }],
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/reports/root-causes',
    query: rootCauseReportQuery,
    success: 200,
    alsoTypes: [{ type: 'text/csv' }],
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/reports/at-risk-customers',
    query: atRiskReportQuery,
    success: 200,
    alsoTypes: [{ type: 'text/csv' }],
    errors: [404],
  },
];
