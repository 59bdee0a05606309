import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { CurrentAgentProvider } from '../../../lib/current-agent';
import { errorMessage } from '../../../lib/error-message';
import { useSession } from '../api/session';

/** Everything inside needs a signed-in agent; without one, the sign-in page (and back after). */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const session = useSession();
  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center mih="100vh" p="md">
        <Stack>
          <Alert color="red" role="alert">
            {errorMessage(session.error, t)}
          </Alert>
          <Button onClick={() => void session.refetch()}>{t('app.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return (
      <Navigate
        to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`}
        replace
      />
    );
  }
  return <CurrentAgentProvider agent={session.data}>{children}</CurrentAgentProvider>;
}
