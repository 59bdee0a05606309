import { lazy, type ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import { ForgotPasswordPage, RequireSession, SetPasswordPage, SignInPage } from '../features/auth';
import { NotFoundPage } from './NotFoundPage';
import { Shell } from './Shell';

// Each signed-in page is its own chunk: the sign-in page loads only what it needs.
const QueuePage = lazy(() =>
  import('../features/queue/components/QueuePage').then((m) => ({ default: m.QueuePage })),
);
const TicketPage = lazy(() =>
  import('../features/ticket/components/TicketPage').then((m) => ({ default: m.TicketPage })),
);
const InboxPage = lazy(() =>
  import('../features/inbox/components/InboxPage').then((m) => ({ default: m.InboxPage })),
);
const SearchPage = lazy(() =>
  import('../features/search/components/SearchPage').then((m) => ({ default: m.SearchPage })),
);
const CustomerStoryPage = lazy(() =>
  import('../features/customer/components/CustomerStoryPage').then((m) => ({
    default: m.CustomerStoryPage,
  })),
);

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const OverdueBoardPage = page(
  () => import('../features/supervision/components/OverdueBoardPage'),
  'OverdueBoardPage',
);
const TeamLoadPage = page(
  () => import('../features/supervision/components/TeamLoadPage'),
  'TeamLoadPage',
);
const AtRiskPage = page(
  () => import('../features/supervision/components/AtRiskPage'),
  'AtRiskPage',
);
const ReportsPage = page(
  () => import('../features/supervision/components/ReportsPage'),
  'ReportsPage',
);
const FailedEmailsPage = page(
  () => import('../features/supervision/components/FailedEmailsPage'),
  'FailedEmailsPage',
);
const TeamsPage = page(() => import('../features/admin/components/TeamsPage'), 'TeamsPage');
const TeamEditorPage = page(
  () => import('../features/admin/components/TeamEditorPage'),
  'TeamEditorPage',
);
const AgentsPage = page(() => import('../features/admin/components/AgentsPage'), 'AgentsPage');

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/set-password', element: <SetPasswordPage /> },
  {
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <QueuePage /> },
      { path: 'tickets/:ticketId', element: <TicketPage /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'search', element: <SearchPage /> },
      { path: 'customers/:customerId', element: <CustomerStoryPage /> },
      { path: 'supervision/board', element: <OverdueBoardPage /> },
      { path: 'supervision/load', element: <TeamLoadPage /> },
      { path: 'supervision/at-risk', element: <AtRiskPage /> },
      { path: 'supervision/reports', element: <ReportsPage /> },
      { path: 'supervision/emails', element: <FailedEmailsPage /> },
      { path: 'admin/teams', element: <TeamsPage /> },
      { path: 'admin/teams/new', element: <TeamEditorPage /> },
      { path: 'admin/teams/:teamId', element: <TeamEditorPage /> },
      { path: 'admin/agents', element: <AgentsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
