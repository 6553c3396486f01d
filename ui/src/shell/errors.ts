import { useTranslation } from 'react-i18next';
import { toApiError } from '../backend/errors';

/** The translated text for a failed command: by its code only, never its internal message. */
export function useErrorText(): (err: unknown) => string {
  const { t } = useTranslation();
  return (err: unknown) => t(`errors.${toApiError(err).code}`);
}
