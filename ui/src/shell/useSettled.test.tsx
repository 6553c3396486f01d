import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSettled } from './useSettled';

describe('useSettled', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('a filter typed letter by letter reaches core once, as the whole word', () => {
    const seen: string[] = [];
    const { result, rerender } = renderHook(({ typed }) => {
      const settled = useSettled(typed, 400);
      if (seen[seen.length - 1] !== settled) seen.push(settled);
      return settled;
    }, { initialProps: { typed: '' } });
    for (const typed of ['V', 'VT', 'VT-', 'VT-S']) {
      rerender({ typed });
      act(() => { vi.advanceTimersByTime(150); });
    }
    expect(result.current).toBe('');
    act(() => { vi.advanceTimersByTime(400); });
    expect(result.current).toBe('VT-S');
    expect(seen).toEqual(['', 'VT-S']);
  });
});
