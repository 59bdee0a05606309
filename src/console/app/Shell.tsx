import { AppShell, Burger, Group, NavLink, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { SignOutButton } from '../features/auth';
import { InboxNavLink } from '../features/inbox';
import { SearchBox } from '../features/search';
import { useCurrentAgent } from '../lib/current-agent';
import { PageLoader } from './PageLoader';
import { useLiveEvents } from './live-events';

/** A titled group of navigation links (supervisor and admin pages). */
function NavGroup({ label, links }: { label: string; links: [string, string][] }) {
  const location = useLocation();
  return (
    <>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm" aria-hidden>
        {label}
      </Text>
      {links.map(([to, text]) => (
        <NavLink
          key={to}
          component={Link}
          to={to}
          label={text}
          active={location.pathname.startsWith(to)}
        />
      ))}
    </>
  );
}

/** The frame around every signed-in page: header with search, navigation with counts. */
export function Shell() {
  const { t } = useTranslation();
  const agent = useCurrentAgent();
  const location = useLocation();
  const [opened, { toggle }] = useDisclosure();
  useLiveEvents();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="md" wrap="nowrap">
          <Burger
            opened={opened}
            onClick={toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label={t('app.mainNavigation')}
          />
          <Text
            component={Link}
            to="/"
            fw={800}
            c="indigo.8"
            size="lg"
            style={{ textDecoration: 'none' }}
          >
            {t('app.name')}
          </Text>
          <SearchBox />
          <Group gap="xs" ml="auto" wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              <VisuallyHidden>{t('auth.signedInAs', { name: '' })}</VisuallyHidden>
              {agent.name}
            </Text>
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.mainNavigation')}>
        <NavLink
          component={Link}
          to="/"
          label={t('nav.queue')}
          active={location.pathname === '/'}
        />
        <InboxNavLink />
        {(agent.role === 'supervisor' || agent.role === 'admin') && (
          <NavGroup
            label={t('nav.supervision')}
            links={[
              ['/supervision/board', t('nav.board')],
              ['/supervision/load', t('nav.load')],
              ['/supervision/at-risk', t('nav.atRisk')],
              ['/supervision/reports', t('nav.reports')],
              ['/supervision/emails', t('nav.failedEmails')],
            ]}
          />
        )}
        {agent.role === 'admin' && (
          <NavGroup
            label={t('nav.admin')}
            links={[
              ['/admin/teams', t('nav.teams')],
              ['/admin/agents', t('nav.agents')],
            ]}
          />
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
