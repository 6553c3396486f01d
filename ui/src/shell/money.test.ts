import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';

describe('formatMoney', () => {
  it('groups digits as text and keeps every decimal', () => {
    expect(formatMoney('1234.5')).toBe('¥1,234.50');
    expect(formatMoney('500000')).toBe('¥500,000.00');
    expect(formatMoney('0.07')).toBe('¥0.07');
    // Beyond a float's precision, nothing is rounded.
    expect(formatMoney('12345678901234567.89')).toBe('¥12,345,678,901,234,567.89');
    expect(formatMoney('-35.50')).toBe('-¥35.50');
  });

  it('shows anything that is not a decimal as it came', () => {
    expect(formatMoney('n/a')).toBe('n/a');
  });
});
