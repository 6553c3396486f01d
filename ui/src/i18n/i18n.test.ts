import { describe, expect, it } from 'vitest';
import { CODES } from '../backend/errors';
import { KNOWN_ACTIONS } from '../features/audit/actions';
import en from './en.json';
import zhCN from './zh-CN.json';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function lookup(resource: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => {
    if (typeof node !== 'object' || node === null) return undefined;
    return (node as Record<string, unknown>)[part];
  }, resource);
}

describe('locale files', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('have no empty strings', () => {
    for (const resource of [en, zhCN]) {
      for (const key of keys(resource)) {
        expect(lookup(resource, key), key).toMatch(/\S/);
      }
    }
  });

  it('translate every error code and every known audit action', () => {
    for (const resource of [en, zhCN]) {
      for (const code of CODES) expect(typeof lookup(resource, `errors.${code}`), code).toBe('string');
      for (const action of KNOWN_ACTIONS) {
        expect(typeof lookup(resource, `actions.${action}`), action).toBe('string');
      }
    }
  });
});
