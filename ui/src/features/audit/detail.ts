import type { TFunction } from 'i18next';

/**
 * An audit record's detail as staff read it: "角色：主管；须修改密码：否" rather than the JSON core
 * stored (`{"role":"supervisor","mustChangePassword":false}`). Keys get their labels
 * (`auditDetail.labels`, held to every key core writes by crates/core/tests/words); a role
 * reads as its name; a pair [before, after] reads "before → after". A key or value the UI has no
 * words for is shown as it is, never dropped: the record must stay complete.
 */
export function detailText(t: TFunction, detail: string, none: string): string {
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return detail.trim() === '' ? none : detail;
  }
  if (value === null || (typeof value === 'object' && Object.keys(value).length === 0)) return none;
  return valueText(t, value, none);
}

function label(t: TFunction, key: string): string {
  const path = `auditDetail.labels.${key}`;
  const words = t(path);
  return words === path ? key : words;
}

function valueText(t: TFunction, value: unknown, none: string, key?: string): string {
  if (value === null || value === undefined) return none;
  if (typeof value === 'boolean') return t(value ? 'auditDetail.yes' : 'auditDetail.no');
  if (typeof value === 'string') {
    if (key === 'role') {
      const path = `role.${value}`;
      const words = t(path);
      if (words !== path) return words;
    }
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    // Settings changes record [before, after].
    if (value.length === 2 && value.every((v) => v === null || typeof v !== 'object')) {
      return `${valueText(t, value[0], none, key)} → ${valueText(t, value[1], none, key)}`;
    }
    return value.map((v) => valueText(t, v, none, key)).join(t('auditDetail.list'));
  }
  const sep = t('auditDetail.separator');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${label(t, k)}${t('auditDetail.colon')}${valueText(t, v, none, k)}`)
    .join(sep);
}
