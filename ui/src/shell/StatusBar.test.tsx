import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../bindings/AppStatus';
import { StatusBar } from './StatusBar';

function status(core: Partial<AppStatus['core']>): AppStatus {
  return {
    needsSetup: false,
    trainingMode: false,
    branch: '演示支行',
    idleLockSecs: 300,
    core: { connected: false, tokenRefused: false, url: 'https://core.bank.example', identity: null, checkedAt: '2026-11-24T02:00:00Z', ...core },
    sync: { queued: 0, failing: 0, attention: 0, lastSyncedAt: null, lastError: null },
    version: '0.1.0',
  };
}

describe('status bar', () => {
  it('tells a refused console token apart from a core that cannot be reached', () => {
    const { unmount } = render(<StatusBar status={status({ tokenRefused: true })} />);
    expect(screen.getByTestId('status-core').textContent).toContain('拒绝本终端的访问令牌');
    unmount();
    render(<StatusBar status={status({})} />);
    expect(screen.getByTestId('status-core').textContent).toContain('无法连接');
  });
});
