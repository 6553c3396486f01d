/**
 * Money arrives as a decimal string and is shown without ever becoming a float: the digits are
 * grouped as text. `¥1,234.50`.
 */
export function formatMoney(value: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (match === null) return value;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = fraction.padEnd(2, '0');
  return `${sign}¥${grouped}.${cents}`;
}
