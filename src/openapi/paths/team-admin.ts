import type { Operation } from '../operation';
import { pageOf, teamResponse } from '../responses';
import {
  createTeamInput,
  deadlinePreviewInput,
  updateTeamInput,
} from '../../team-admin/teams.input';

/** team-admin: every route of src/team-admin/, and the team views of src/supervision/. */
export const teamAdminOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/teams',
    body: createTeamInput,
    success: 201,
    response: teamResponse,
  },
  {
    method: 'post',
    path: '/api/v1/teams/deadline-preview',
    summary: 'When a concern arriving now (or at `at`) would be due under an unsaved calendar',
    body: deadlinePreviewInput,
    success: 200,
  },
  { method: 'get', path: '/api/v1/teams', success: 200, response: pageOf(teamResponse) },
  {
    method: 'get',
    path: '/api/v1/teams/:id/board',
    summary: "The team's overdue board and the tickets due soon",
    success: 200,
  },
  {
    method: 'get',
    path: '/api/v1/teams/:id/load',
    summary: "Each rep's open and overdue tickets, away state and capacity",
    success: 200,
  },
  { method: 'get', path: '/api/v1/teams/:id', success: 200, response: teamResponse },
  {
    method: 'patch',
    path: '/api/v1/teams/:id',
    body: updateTeamInput,
    success: 200,
    response: teamResponse,
  },
];
