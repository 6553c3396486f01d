// TEMPORARY: the in-memory backend for test files not yet ported to the dev server.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../App';
import type { Backend } from '../backend';
import { createMemoryBackend, DEMO_PASSWORD, type MemoryOptions } from '../backend/memory';

export function renderApp(options: MemoryOptions = {}): { backend: Backend } {
  const backend = createMemoryBackend(options);
  render(<App backend={backend} />);
  return { backend };
}

export function input(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) {
    throw new Error(`${testId} is a <${el.tagName.toLowerCase()}>, not an input`);
  }
  return el as HTMLInputElement;
}

export function type(testId: string, value: string): void {
  fireEvent.change(input(testId), { target: { value } });
}

/** Signs in through the real form (real timers). */
export async function signIn(username: string, password = DEMO_PASSWORD): Promise<void> {
  await screen.findByTestId('signin-username');
  type('signin-username', username);
  type('signin-password', password);
  fireEvent.click(screen.getByTestId('signin-submit'));
}

/** With fake timers: lets promises, React Query's notifications and antd's timers run. */
export async function flush(ms = 50): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}
