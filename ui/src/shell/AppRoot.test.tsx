import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { apiError } from '../backend/errors';
import { backendFrom } from '../backend';
import type { Code } from '../bindings/Code';

/**
 * A fixture, not the dev server: the shell answers every call with the reason start-up
 * stopped (no console runs), a state a running core is never in.
 */
function stoppedAtStart(code: Code) {
  const failure = apiError(code, 'start-up stopped');
  return backendFrom(() => Promise.reject(failure));
}

describe('start-up that stopped for the store or its key', () => {
  it('says, translated, that data.key is missing and nothing was lost', async () => {
    render(<App backend={stoppedAtStart('data_key_missing')} />);
    const text = await screen.findByText(/data\.key/);
    expect(text.textContent).toContain('为避免数据丢失');
  });

  it('says the store does not open with this key, and was not changed', async () => {
    render(<App backend={stoppedAtStart('store_unreadable')} />);
    const text = await screen.findByText(/无法用本机的数据密钥/);
    expect(text.textContent).toContain('数据未作任何改动');
  });
});
