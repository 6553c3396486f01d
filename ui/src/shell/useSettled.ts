import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `ms`: a filter typed letter by letter asks core
 * once for the word, not once per keystroke (each ask is a report over the whole period).
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => { setSettled(value); }, ms);
    return () => { clearTimeout(timer); };
  }, [value, ms]);
  return settled;
}
