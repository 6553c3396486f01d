import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { apiError } from '../backend/errors';
import { createMemoryBackend } from '../backend/memory';
import type { Code } from '../bindings/Code';

/** The shell answers the first two calls with the reason start-up stopped (no console runs). */
function stoppedAtStart(code: Code) {
  const backend = createMemoryBackend();
  const failure = apiError(code, 'start-up stopped');
  backend.appStatus = () => Promise.reject(failure);
  backend.sessionState = () => Promise.reject(failure);
  return backend;
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
