import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { advanceClock, fakeTimers, flush, input, passwordOf, renderApp, type } from '../test/render';

const IDLE = 120;

/**
 * The UI's timers are fake; the core's clock is a manual one that stays put unless a test
 * moves it, so only the UI's idle timer (and the commands it sends) decide here.
 */
async function startTeller(idleLockSecs = IDLE) {
  fakeTimers();
  const app = renderApp({ signedInAs: 'teller', idleLockSecs, manualClock: true });
  expect(await screen.findByTestId('page-customers')).toBeTruthy();
  return app;
}

describe('idle lock', () => {
  it('warns, locks when idle, and keeps unsaved text through unlock', async () => {
    const { backend } = await startTeller();
    type('customer-search', '张三 138');

    await flush((IDLE - 31) * 1000);
    expect(screen.queryByTestId('idle-warning')).toBeNull();
    await flush(2000);
    expect(screen.getByTestId('idle-warning').textContent).toContain('屏幕将在 30 秒后锁定');

    await flush(30_000);
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
    await vi.waitFor(async () => {
      expect((await backend.sessionState()).state).toBe('locked');
    });
    // The page underneath is still mounted, inert and hidden, with its text.
    const shell = screen.getByTestId('page-customers').closest('.shell');
    expect(shell?.hasAttribute('inert')).toBe(true);
    expect(input('customer-search').value).toBe('张三 138');
    expect(screen.queryByTestId('idle-warning')).toBeNull();

    type('unlock-password', 'wrong-password');
    fireEvent.click(screen.getByTestId('unlock-submit'));
    expect((await screen.findByTestId('unlock-error')).textContent).toContain('用户名或密码错误。');
    expect(screen.getByTestId('lock-screen')).toBeTruthy();

    type('unlock-password', await passwordOf('teller'));
    fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => {
      expect(screen.queryByTestId('lock-screen')).toBeNull();
    });
    expect(shell?.hasAttribute('inert')).toBe(false);
    expect(input('customer-search').value).toBe('张三 138');
    expect((await backend.sessionState()).state).toBe('active');
  });

  it('with a very short idle limit, warns half way and locks on time', async () => {
    await startTeller(6);
    await flush(2_000);
    expect(screen.queryByTestId('idle-warning')).toBeNull();
    await flush(2_000);
    expect(screen.getByTestId('idle-warning').textContent).toContain('屏幕将在');
    await flush(3_000);
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
  });

  it('does not lock while the user is active, and pings the backend at most every 20 s', async () => {
    const { backend } = await startTeller();
    const touch = vi.spyOn(backend, 'touch');
    for (let i = 0; i < 12; i++) {
      await flush(20_000);
      fireEvent.keyDown(window, { key: 'a' });
      fireEvent.pointerMove(window);
    }
    expect(screen.queryByTestId('lock-screen')).toBeNull();
    expect(touch.mock.calls.length).toBeGreaterThanOrEqual(11);
    expect(touch.mock.calls.length).toBeLessThanOrEqual(12);
  });

  it('locks at once from the lock-now button, keeping the onboarding notes', async () => {
    await startTeller();
    fireEvent.click(screen.getByTestId('nav-onboarding'));
    await flush();
    type('onboarding-notes', '客户带了户口本');
    fireEvent.click(screen.getByTestId('lock-now'));
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
    type('unlock-password', await passwordOf('teller'));
    fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => {
      expect(screen.queryByTestId('lock-screen')).toBeNull();
    });
    expect(input('onboarding-notes').value).toBe('客户带了户口本');
  });

  it('locks when a command is refused with session_locked', async () => {
    fakeTimers();
    const { backend } = renderApp({ signedInAs: 'supervisor', manualClock: true });
    await screen.findByTestId('nav-audit');
    await backend.lock(); // locked behind the UI's back
    fireEvent.click(screen.getByTestId('nav-audit'));
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
  });

  it('locks when session_state says locked', async () => {
    const { world } = await startTeller();
    // The core locks on its own clock: idle past the limit there, though not yet on screen.
    await advanceClock(world, IDLE + 1);
    await flush(10_500);
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
  });

  it('stays locked even if the backend still says active', async () => {
    const { backend } = await startTeller();
    vi.spyOn(backend, 'lock').mockRejectedValue({ code: 'internal', message: 'boom' });
    fireEvent.click(screen.getByTestId('lock-now'));
    await flush();
    expect(screen.getByTestId('lock-screen')).toBeTruthy();
    expect((await backend.sessionState()).state).toBe('active');
    await flush(25_000); // session polls come and go
    expect(screen.getByTestId('lock-screen')).toBeTruthy();
  });

  it('locks when touch answers locked', async () => {
    const { backend } = await startTeller();
    await backend.lock();
    await flush(21_000);
    fireEvent.keyDown(window, { key: 'a' });
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
  });

  it('hides an open dialog (a revealed ID) under the lock screen, and gives it back on unlock', async () => {
    renderApp({ signedInAs: 'teller' });
    fireEvent.change(await screen.findByTestId('customer-search'), { target: { value: 'zxf' } });
    fireEvent.click(await screen.findByTestId('customer-open-220'));
    fireEvent.click(await screen.findByTestId('c360-reveal'));
    fireEvent.change(await screen.findByTestId('c360-reveal-reason'), { target: { value: '客户办理挂失，核对证件' } });
    fireEvent.click(screen.getByTestId('c360-reveal-submit'));
    const revealed = await screen.findByTestId('c360-revealed-id');
    expect(revealed.closest('[hidden]')).toBeNull();

    fireEvent.click(screen.getByTestId('lock-now'));
    expect(await screen.findByTestId('lock-screen')).toBeTruthy();
    // Out of sight and out of reach: hidden (display none) and inert, not just covered.
    expect(revealed.closest('[hidden]')).not.toBeNull();
    expect(revealed.closest('[inert]')).not.toBeNull();
    expect(screen.getByTestId('lock-screen').closest('[hidden], [inert]')).toBeNull();

    fireEvent.change(screen.getByTestId('unlock-password'), { target: { value: await passwordOf('teller') } });
    fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => {
      expect(screen.queryByTestId('lock-screen')).toBeNull();
    });
    expect(revealed.closest('[hidden]')).toBeNull();
    expect(revealed.closest('[inert]')).toBeNull();
  });

  it('reports input that came too soon after the last report once the interval is over', async () => {
    const { backend } = await startTeller();
    const touch = vi.spyOn(backend, 'touch');
    await flush(20_000);
    fireEvent.keyDown(window, { key: 'a' });
    expect(touch).toHaveBeenCalledTimes(1);
    await flush(5_000);
    fireEvent.keyDown(window, { key: 'b' }); // too soon: held back, not dropped
    expect(touch).toHaveBeenCalledTimes(1);
    await flush(16_000);
    expect(touch).toHaveBeenCalledTimes(2);
    await flush(60_000); // no input since: nothing to report
    expect(touch).toHaveBeenCalledTimes(2);
  });

  it('with a short idle limit, reports input often enough for the backend', async () => {
    const { backend } = await startTeller(8);
    const touch = vi.spyOn(backend, 'touch');
    for (let i = 0; i < 10; i++) {
      await flush(1_000);
      fireEvent.keyDown(window, { key: 'a' });
    }
    // A quarter of 8 s: every 2 s, so the backend never sees 8 s without a report.
    expect(touch.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(screen.queryByTestId('lock-screen')).toBeNull();
  });
});
