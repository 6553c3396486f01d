import { Input } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A calendar date typed as YYYY-MM-DD, the format of both UI languages' date text (GB/T 7408
 * in Chinese), with the format shown as its placeholder. Not a native `<input type="date">`:
 * WebKit draws that in the system locale, which showed mm/dd/yyyy in the Chinese UI. Not
 * antd's DatePicker either: it needs dayjs, whose prototype assignments (toString, valueOf)
 * throw under Tauri's freezePrototype (tauri.conf.json), which left the window blank.
 * Full-width digits from an IME are folded as typed; core normalises again and decides.
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
  const { t } = useTranslation();
  return (
    <Input
      id={id}
      data-testid={testId}
      aria-label={label}
      className="date-field"
      inputMode="numeric"
      maxLength={10}
      autoComplete="off"
      placeholder={t('date.placeholder')}
      value={value ?? ''}
      onChange={(e) => {
        const typed = e.target.value.normalize('NFKC');
        onChange?.(typed === '' ? undefined : typed);
      }}
    />
  );
}
