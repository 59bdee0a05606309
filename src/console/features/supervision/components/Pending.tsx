import { Alert, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../lib/error-message';

/** Loading and error states of a supervisor page's query, in one place. */
export function Pending({ error, label }: { error: unknown; label: string }) {
  const { t } = useTranslation();
  if (error) {
    return (
      <Alert color="red" role="alert">
        {errorMessage(error, t)}
      </Alert>
    );
  }
  return (
    <Group gap="sm">
      <Loader size="sm" />
      <Text>{label}</Text>
    </Group>
  );
}
