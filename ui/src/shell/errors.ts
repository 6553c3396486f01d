import { useTranslation } from 'react-i18next';
import { toApiError } from '../backend/errors';

/**
 * The translated text for a failed command: by its code, never its internal message, except
 * that core's refusals of a field say `field: reason_code`, and a reason code with words in
 * `errors.detail` is more use to staff than "invalid input".
 */
export function useErrorText(): (err: unknown) => string {
  const { t, i18n } = useTranslation();
  return (err: unknown) => {
    const error = toApiError(err);
    // The core's message may start with its error's kind ("conflict: staff: last_admin").
    const reason = /^(?:[a-z ]+: )?[A-Za-z]+: ([a-z_0-9]+)/.exec(error.message)?.[1];
    if (reason !== undefined && i18n.exists(`errors.detail.${reason}`)) return t(`errors.detail.${reason}`);
    return t(`errors.${error.code}`);
  };
}
