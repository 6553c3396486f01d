import { act, fireEvent, render, screen } from '@testing-library/react';
import { inject, vi } from 'vitest';
import { App } from '../App';
import type { Backend } from '../backend';
import { createHttpBackend } from '../backend/http';

/**
 * What a test's world starts as: the dev server's scenario (crates/devserver/src/worlds.rs).
 * Anything else a test needs (cases, outbox items, audit records) it makes through real
 * commands on its world.
 */
export interface Scenario {
  /** First-run setup: no administrator yet. */
  fresh?: boolean;
  /** Signed in as this demo user. */
  signedInAs?: string;
  /** The core bank cannot be reached. */
  offline?: boolean;
  idleLockSecs?: number;
  branch?: string;
  /** The server's clock moves only through `advanceClock`. */
  manualClock?: boolean;
  /** Has never synced: no customers in the local copy (with `manualSync` or `offline`). */
  unsynced?: boolean;
  /** Configured for a real core (not training) it cannot reach: only with `offline`. */
  live?: boolean;
  /** The sync engine does not run on its own: queued work waits for `syncRound`/`startEngine`. */
  manualSync?: boolean;
  /** Team mode on the team store's SQLite backend: the shared queue screens. */
  team?: boolean;
}

export interface World {
  id: string;
  /** Each demo user's password (the same in every world). */
  credentials: Record<string, string>;
}

const DEV_SERVER = inject('devServer');

/** The worlds this test made, ended after it (src/test/setup.ts). */
let made: Promise<World>[] = [];

async function post(path: string, body: unknown): Promise<Response> {
  const response = await fetch(`${DEV_SERVER}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** A new world on the dev server and a backend on it (the world is made in the background). */
export function openWorld(scenario: Scenario = {}): { backend: Backend; world: Promise<World> } {
  const world = post('/worlds', scenario).then((r) => r.json() as Promise<World>);
  made.push(world);
  const backend = createHttpBackend({ baseUrl: DEV_SERVER, world: world.then((w) => w.id) });
  return { backend, world };
}

export async function endWorlds(): Promise<void> {
  const ending = made;
  made = [];
  await Promise.all(
    ending.map(async (world) => {
      const { id } = await world.catch(() => ({ id: null }));
      if (id !== null) await fetch(`${DEV_SERVER}/worlds/${id}`, { method: 'DELETE' });
    }),
  );
}

/** The App on a new world. */
export function renderApp(scenario: Scenario = {}): { backend: Backend; world: Promise<World> } {
  return renderWorld(openWorld(scenario));
}

/** The App on a world a test has already prepared (`openWorld`, then real commands). */
export function renderWorld(opened: { backend: Backend; world: Promise<World> }): {
  backend: Backend;
  world: Promise<World>;
} {
  render(<App backend={opened.backend} />);
  return opened;
}

/** A demo user's password in the latest world. */
export async function passwordOf(username: string): Promise<string> {
  const latest = made[made.length - 1];
  if (latest === undefined) throw new Error('no world yet: renderApp or openWorld first');
  const password = (await latest).credentials[username];
  if (password === undefined) throw new Error(`no demo user ${username}`);
  return password;
}

/** Moves a `manualClock` world's time forward (wall and monotonic clocks). */
export async function advanceClock(world: Promise<World>, secs: number): Promise<void> {
  await post(`/worlds/${(await world).id}/clock`, { advanceSecs: secs });
}

/** One whole sync round with the core now (push, then pull); answers what it did. */
export async function syncRound(world: Promise<World>): Promise<unknown> {
  return (await post(`/worlds/${(await world).id}/sync`, {})).json();
}

/** A team world sends its team dispute ops to its sandbox now (the sender runs only when asked). */
export async function teamDeliver(world: Promise<World>): Promise<{ sent: number; done: number; attention: number; retrying: number }> {
  return (await post(`/worlds/${(await world).id}/team-deliver`, {})).json() as Promise<{
    sent: number;
    done: number;
    attention: number;
    retrying: number;
  }>;
}

/** Starts a `manualSync` world's sync engine, as the app runs it. */
export async function startEngine(world: Promise<World>): Promise<void> {
  await post(`/worlds/${(await world).id}/engine`, {});
}

/** Stops the world's sandbox: the core is gone from now on; the local copy stays. */
export async function goOffline(world: Promise<World>): Promise<void> {
  await post(`/worlds/${(await world).id}/offline`, {});
}

/** The world's sandbox faults (`/v1/admin/faults`; `{}` turns them off). */
export async function setFaults(
  world: Promise<World>,
  faults: { errorRate?: number; latencyMs?: number; dropRate?: number },
): Promise<void> {
  await post(`/worlds/${(await world).id}/faults`, {
    latencyMs: 0,
    errorRate: 0,
    dropRate: 0,
    applyThenTimeoutRate: 0,
    stallMs: 0,
    duplicateRate: 0,
    ...faults,
  });
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

/** Signs in through the real form (real timers), with the demo user's password by default. */
export async function signIn(username: string, password?: string): Promise<void> {
  const secret = password ?? (await passwordOf(username));
  await screen.findByTestId('signin-username');
  type('signin-username', username);
  type('signin-password', secret);
  fireEvent.click(screen.getByTestId('signin-submit'));
}

/**
 * Fake timers for the UI that still move with real time, so answers from the dev server
 * (real I/O) arrive and `findBy…` queries wait for them; `flush` jumps ahead.
 */
export function fakeTimers(): void {
  vi.useFakeTimers({ shouldAdvanceTime: true });
}

/** With fake timers: lets promises, React Query's notifications and antd's timers run. */
export async function flush(ms = 50): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}
