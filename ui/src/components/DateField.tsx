import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';

/** Calendar dates travel as "YYYY-MM-DD" (core's `local_date` text), whatever is shown. */
const WIRE = 'YYYY-MM-DD';

/**
 * Picks or shows a calendar date in the UI language's format (ConfigProvider's locale, with
 * dayjs's zh-cn for month and weekday names and Monday-first weeks), never the browser's: a
 * native `<input type="date">` follows the system locale and showed mm/dd/yyyy in the Chinese UI.
 * The value stays the wire text, so forms and queries do not change.
 */
export function DateField({
  value,
  onChange,
  id,
  testId,
  label,
}: {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  id?: string;
  testId?: string;
  /** The accessible name when no <label htmlFor> points at `id`. */
  label?: string;
}) {
  const parsed = value === undefined || value === null || value === '' ? null : dayjs(value, WIRE);
  return (
    <DatePicker
      id={id}
      data-testid={testId}
      aria-label={label}
      className="date-field"
      value={parsed?.isValid() === true ? parsed : null}
      // Cleared, antd passes null, whatever its type says.
      onChange={(date: Dayjs | null) => {
        onChange?.(date === null ? undefined : date.format(WIRE));
      }}
    />
  );
}

/** dayjs's locale follows the UI language (the calendar panel's month and weekday names). */
export function useDayjsLocale(language: string): void {
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
}
