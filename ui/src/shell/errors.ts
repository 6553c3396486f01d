import { useTranslation } from 'react-i18next';
import { toApiError } from '../backend/errors';

/**
 * The translated text for a failed command: by its code, never its message. When core refused
 * a particular field, its reason code (`fields`) with words in `errors.detail` is more use to
 * staff than "invalid input".
 */
export function useErrorText(): (err: unknown) => string {
  const { t, i18n } = useTranslation();
  return (err: unknown) => {
    const error = toApiError(err);
    const reason = error.fields.find((f) => i18n.exists(`errors.detail.${f.code}`));
    if (reason !== undefined) return t(`errors.detail.${reason.code}`);
    return t(`errors.${error.code}`);
  };
}

/** The reason code core gave for `field`, if it refused that field. */
export function fieldCode(err: unknown, field: string): string | null {
  if (err === null || err === undefined) return null;
  return toApiError(err).fields.find((f) => f.field === field)?.code ?? null;
}

/** The words for a field's reason code: `errors.detail.<code>`, else the generic invalid input. */
export function useFieldText(): (code: string) => string {
  const { t, i18n } = useTranslation();
  return (code: string) => (i18n.exists(`errors.detail.${code}`) ? t(`errors.detail.${code}`) : t('errors.invalid_input'));
}
