import { invoke } from '@tauri-apps/api/core';
import type { Backend } from '../bindings/commands';
import { backendFrom } from './transport';
import { toApiError } from './errors';

/** The app window's backend: each command through Tauri's invoke. */
export function createTauriBackend(): Backend {
  return backendFrom(async (command, args) => {
    try {
      return await invoke(command, args);
    } catch (err) {
      throw toApiError(err);
    }
  });
}
