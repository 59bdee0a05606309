import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage, fieldError } from '../../../lib/error-message';
import { useRequestPasswordReset } from '../api/session';
import { AuthCard } from './AuthCard';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const reset = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ email: email.trim() });
  };
  return (
    <AuthCard title={t('auth.resetTitle')} intro={t('auth.resetIntro')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {reset.isSuccess && (
            <Alert color="green" role="status">
              {t('auth.resetSent')}
            </Alert>
          )}
          {reset.error && !fieldError(reset.error, 'email') && (
            <Alert color="red" role="alert">
              {errorMessage(reset.error, t)}
            </Alert>
          )}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            error={fieldError(reset.error, 'email')}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <Button type="submit" loading={reset.isPending}>
            {t('auth.sendResetLink')}
          </Button>
          <Anchor component={Link} to="/sign-in" size="sm">
            {t('auth.backToSignIn')}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
