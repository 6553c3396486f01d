import { QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from './query';

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('query client', () => {
  it('a write invalidating a list whose first read is still in flight reads the list again', async () => {
    const client = createQueryClient();
    const answers = [deferred<string[]>(), deferred<string[]>()];
    let calls = 0;
    const observer = new QueryObserver(client, {
      queryKey: ['suggestions'],
      queryFn: () => (answers[calls++] ?? deferred<string[]>()).promise,
    });
    const seen: (string[] | undefined)[] = [];
    const unsubscribe = observer.subscribe((result) => seen.push(result.data));

    // The first read was answered before the write (it holds no row) but arrives after it.
    const invalidated = client.invalidateQueries({ queryKey: ['suggestions'] });
    answers[0]?.resolve([]);
    answers[1]?.resolve(['扣款失败时短信提示客户。']);
    await invalidated;

    expect(calls).toBe(2);
    expect(client.getQueryData(['suggestions'])).toEqual(['扣款失败时短信提示客户。']);
    expect(seen.at(-1)).toEqual(['扣款失败时短信提示客户。']);
    unsubscribe();
  });
});
