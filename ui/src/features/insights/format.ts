import { useTranslation } from 'react-i18next';
import type { Metric } from '../../bindings/Metric';

/**
 * "12.5%", "¥9.00", "1.75": each metric's unit is in the locale file (`insights.valueFormat`),
 * which core's PDF report reads too, so the screen and the page print a number alike;
 * "—" is no data.
 */
export function useFormat() {
  const { t } = useTranslation();
  return (metric: Metric, value: string | null) =>
    value === null ? t('insights.noData') : t(`insights.valueFormat.${metric}`, { value });
}

/** "+12.5%", "-3.0%", "—" (no change to give), worded as core's PDF report words it. */
export function useChangeText() {
  const { t } = useTranslation();
  return (change: string | null) => {
    if (change === null) return t('insights.noChange');
    return change.startsWith('-') ? t('insights.changeDown', { change }) : t('insights.changeUp', { change });
  };
}

/** A chart's number: the core's decimal text drawn as is; no data draws nothing. */
export function plotted(value: string | null): number | null {
  return value === null ? null : Number(value);
}
