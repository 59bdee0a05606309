import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api-error';
import { errorMessage } from './error-message';

/**
 * The part of an error the fields do not show: the API's words for the whole request, or a hint
 * that marked fields need attention when every problem belongs to a field.
 */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fieldErrors = isApiError(error) ? error.fieldErrors : [];
  const allShown = fieldErrors.length > 0 && fieldErrors.every((e) => fields.includes(e.path));
  return (
    <Alert color="red" role="alert">
      {allShown ? t('errors.fieldsNeedAttention') : errorMessage(error, t)}
    </Alert>
  );
}
