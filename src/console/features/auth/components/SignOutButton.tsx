import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSignOut } from '../api/session';

export function SignOutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  return (
    <Button
      variant="subtle"
      loading={signOut.isPending}
      onClick={() =>
        signOut.mutate(undefined, { onSettled: () => void navigate('/sign-in', { replace: true }) })
      }
    >
      {t('auth.signOut')}
    </Button>
  );
}
