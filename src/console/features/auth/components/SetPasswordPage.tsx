import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { errorMessage, fieldError } from '../../../lib/error-message';
import { useSetPassword } from '../api/session';
import { AuthCard } from './AuthCard';

/** The page behind the one-time link (first admin, invitations, resets). */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token') ?? '';
  const setPassword = useSetPassword();
  const [password, setPasswordValue] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setPassword.mutate(
      { token, password },
      { onSuccess: () => void navigate('/', { replace: true }) },
    );
  };
  const generalError =
    setPassword.error && !fieldError(setPassword.error, 'password')
      ? errorMessage(setPassword.error, t)
      : null;

  return (
    <AuthCard title={t('auth.setPasswordTitle')}>
      {!token ? (
        <Alert color="red" role="alert">
          {t('auth.missingToken')}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {generalError && (
              <Alert color="red" role="alert">
                {generalError}
              </Alert>
            )}
            <TextInput
              type="password"
              label={t('auth.newPassword')}
              description={t('auth.passwordHint')}
              autoComplete="new-password"
              required
              value={password}
              error={fieldError(setPassword.error, 'password')}
              onChange={(e) => setPasswordValue(e.currentTarget.value)}
            />
            <TextInput
              type="password"
              label={t('auth.repeatPassword')}
              autoComplete="new-password"
              required
              value={repeat}
              error={mismatch ? t('auth.passwordsDiffer') : undefined}
              onChange={(e) => setRepeat(e.currentTarget.value)}
            />
            <Button type="submit" loading={setPassword.isPending}>
              {t('auth.setPassword')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
