import type { TFunction } from 'i18next';
import { isApiError } from './api-error';

/** What a rep reads when something fails: the API's own words where it gave some. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (!isApiError(error)) return t('errors.server');
  if (error.isNetworkFailure) return t('errors.network');
  if (error.status === 429) {
    return error.retryAfterSeconds !== null
      ? t('errors.rateLimited', { seconds: error.retryAfterSeconds })
      : t('errors.rateLimitedNoTime');
  }
  if (error.status >= 500) return error.detail || t('errors.server');
  if (error.detail) return error.detail;
  if (error.status === 401) return t('errors.unauthenticated');
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  if (error.status === 409) return t('errors.conflict');
  return t('errors.server');
}

/** The API's message for one form field, for the field's error slot. */
export function fieldError(error: unknown, path: string): string | undefined {
  return isApiError(error) ? error.fieldMessage(path) : undefined;
}
