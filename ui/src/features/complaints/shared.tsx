import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  PauseCircleOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../bindings/Category';
import type { ClockStatus } from '../../bindings/ClockStatus';
import type { SelectOption } from '../../components/NativeSelect';
import { useSessionState } from '../../shell/session';

export const COMPLAINTS_KEY = ['complaints'] as const;
export const CHANNELS = ['counter', 'phone', 'online', 'letter', 'regulator', 'social'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const ROOT_CAUSES = [
  'process',
  'system',
  'staff_conduct',
  'product_design',
  'disclosure',
  'third_party',
  'customer_misunderstanding',
  'no_fault',
  'other',
] as const;
export const CONTACT_KINDS = ['call', 'letter', 'visit', 'sms'] as const;
export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'left_message', 'sent', 'refused'] as const;

/** A decimal amount of money: digits, at most two decimals. Core decides; this is for comfort. */
export const MONEY = /^\d{1,12}(\.\d{1,2})?$/;

export function options(t: TFunction, prefix: string, values: readonly string[]): SelectOption[] {
  return values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
}

/** The category tree as a flat list, children indented under their parent (a native select). */
export function categoryOptions(categories: Category[]): SelectOption[] {
  const out: SelectOption[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const c of categories.filter((x) => x.parentId === parent && x.active)) {
      out.push({ value: String(c.id), label: `${'\u3000'.repeat(depth)}${depth > 0 ? '└ ' : ''}${c.name}` });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The signed-in staff member (the complaints page is only shown to someone signed in). */
export function useMe(): { staffId: number; role: string; branch: string } {
  const data = useSessionState().data;
  if (data === undefined || data.state === 'signed_out') return { staffId: -1, role: '', branch: '' };
  return { staffId: data.session.staffId, role: data.session.role, branch: data.session.branch };
}

export function staffName(t: TFunction, id: number | null, me: number): string {
  if (id === null) return t('complaints.nobody');
  return id === me ? t('complaints.me') : t('complaints.staffNo', { id });
}

/** The clock as words plus an icon; overdue is bold and boxed, never colour alone. */
export function ClockText({ clock, testId }: { clock: ClockStatus; testId?: string }) {
  const { t } = useTranslation();
  const common = { 'data-testid': testId } as HTMLAttributes<HTMLElement>;
  switch (clock.state) {
    case 'onTrack':
      return (
        <Tag {...common} icon={<ClockCircleOutlined aria-hidden />}>
          {t('complaints.clock.onTrack', { n: clock.daysLeft })}
        </Tag>
      );
    case 'dueSoon':
      return (
        <Tag {...common} color="warning" icon={<WarningOutlined aria-hidden />} className="complaint-due-soon">
          {t('complaints.clock.dueSoon', { n: clock.daysLeft })}
        </Tag>
      );
    case 'dueToday':
      return (
        <Tag {...common} color="warning" icon={<WarningOutlined aria-hidden />} className="complaint-due-soon">
          {t('complaints.clock.dueToday')}
        </Tag>
      );
    case 'overdue':
      return (
        <Tag {...common} color="error" icon={<ExclamationCircleOutlined aria-hidden />} className="complaint-overdue">
          {t('complaints.clock.overdue', { n: clock.daysOver })}
        </Tag>
      );
    case 'paused':
      return (
        <Tag {...common} icon={<PauseCircleOutlined aria-hidden />}>
          {t('complaints.clock.paused', { since: clock.since })}
        </Tag>
      );
    case 'closed':
      return (
        <Tag {...common} color={clock.onTime ? 'success' : 'error'} icon={<CheckCircleOutlined aria-hidden />}>
          {t(clock.onTime ? 'complaints.clock.closedOnTime' : 'complaints.clock.closedLate', {
            on: clock.on,
            kind: t(`complaints.closure.${clock.kind}`),
          })}
        </Tag>
      );
  }
}

/** antd's Table takes no aria-label: a <table> component named by `label`, made once per name. */
const labelledTables = new Map<string, { table: (p: HTMLAttributes<HTMLTableElement>) => ReactNode }>();
export function labelledTable(labelKey: string) {
  let found = labelledTables.get(labelKey);
  if (found === undefined) {
    function LabelledTable(props: HTMLAttributes<HTMLTableElement>) {
      const { t } = useTranslation();
      return <table {...props} aria-label={t(labelKey)} />;
    }
    found = { table: LabelledTable };
    labelledTables.set(labelKey, found);
  }
  return found;
}

/** Offers a file to save: a Blob URL behind an <a download>, clicked once and released. */
export function download(fileName: string, contentType: string, content: BlobPart): void {
  const url = URL.createObjectURL(new Blob([content], { type: contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
