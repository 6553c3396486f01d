import type { Backend } from '../bindings/commands';
import { createHttpBackend } from './http';
import { createTauriBackend } from './tauri';

export { apiError, isApiError, toApiError } from './errors';
// The interface is generated from the Rust declaration of every command (see
// crates/core/src/commands.rs): one method per command, nothing written here by hand.
export type { Backend } from '../bindings/commands';
export { backendFrom, type Call } from './transport';

export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

let instance: Backend | null = null;

/**
 * The Tauri backend inside the app window; elsewhere (`npm run dev` in a browser) the dev
 * server, reached through Vite's proxy on the same origin.
 */
export function getBackend(): Backend {
  instance ??= inTauri() ? createTauriBackend() : createHttpBackend({ baseUrl: '' });
  return instance;
}
