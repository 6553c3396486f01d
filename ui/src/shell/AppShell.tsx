import { ClockCircleOutlined, LockOutlined, LogoutOutlined, WalletOutlined } from '@ant-design/icons';
import { Button, Layout, Space, Spin } from 'antd';
import { startTransition, Suspense, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../bindings/AppStatus';
import type { Area } from '../bindings/Area';
import type { StaffSession } from '../bindings/StaffSession';
import { AreaIcon, AreaPage } from './areas';
import { LanguageSwitch } from './LanguageSwitch';
import { LockScreen } from './LockScreen';
import { useLockNow, useSignOut } from './session';
import { MAIN_ID, SkipLink } from './SkipLink';
import { StatusBar } from './StatusBar';
import { TrainingBanner } from './TrainingBanner';
import { useIdleLock } from './useIdleLock';

interface Props {
  session: StaffSession;
  status: AppStatus;
  locked: boolean;
}

const LOCKED_AWAY = 'data-locked-away';

/**
 * Dialogs, drawers and dropdowns are portalled to the end of <body>, outside the shell, and
 * would sit above (or beside) the lock screen with whatever they show: a revealed ID, a case
 * text. While locked, every <body> child that does not hold the app is hidden and inert, those
 * opened later too, and given back unchanged on unlock (so a half-filled dialog survives).
 */
function hidePortals(shell: HTMLElement): () => void {
  const hide = (node: Node) => {
    if (!(node instanceof HTMLElement) || node.contains(shell) || node.hasAttribute(LOCKED_AWAY)) return;
    if (node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return;
    node.setAttribute(LOCKED_AWAY, node.hidden ? 'hidden' : '');
    node.hidden = true;
    node.setAttribute('inert', '');
  };
  Array.from(document.body.children).forEach(hide);
  const watcher = new MutationObserver((changes) => {
    changes.forEach((change) => {
      change.addedNodes.forEach(hide);
    });
  });
  watcher.observe(document.body, { childList: true });
  return () => {
    watcher.disconnect();
    document.body.querySelectorAll(`:scope > [${LOCKED_AWAY}]`).forEach((node) => {
      if (!(node instanceof HTMLElement)) return;
      node.hidden = node.getAttribute(LOCKED_AWAY) === 'hidden';
      node.removeAttribute(LOCKED_AWAY);
      node.removeAttribute('inert');
    });
  };
}

/**
 * Hides the shell while locked without unmounting it: `inert` (no focus, no clicks, out of
 * the accessibility tree) plus visibility hidden, and the open dialogs with it. Focus returns
 * to where it was on unlock.
 */
function useInert(locked: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const lastFocus = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return undefined;
    if (locked) {
      // Focus in the shell or in one of its dialogs comes back there on unlock.
      const active = document.activeElement;
      const app = el.parentElement;
      const inDialog = app !== null && active !== document.body && !app.contains(active);
      lastFocus.current = active instanceof HTMLElement && (el.contains(active) || inDialog) ? active : null;
      el.setAttribute('inert', '');
      // The cleanup runs on unlock, before the branch below gives focus back.
      return hidePortals(el);
    }
    el.removeAttribute('inert');
    const previous = lastFocus.current;
    lastFocus.current = null;
    if (previous !== null && previous.isConnected) previous.focus();
    return undefined;
  }, [locked]);
  return ref;
}

export function AppShell({ session, status, locked }: Props) {
  const { t } = useTranslation();
  const areas = session.areas;
  const [chosen, setChosen] = useState<Area | undefined>(areas[0]);
  const current = chosen !== undefined && areas.includes(chosen) ? chosen : areas[0];
  const shellRef = useInert(locked);
  const warnSecs = useIdleLock(!locked, session.idleLockSecs);
  const signOut = useSignOut();
  const lockNow = useLockNow();

  return (
    <>
      <div ref={shellRef} className={locked ? 'shell shell-locked' : 'shell'}>
        <SkipLink />
        <Layout className="shell-layout">
          <Layout.Header className="app-header">
            {status.trainingMode && <TrainingBanner />}
            <div className="app-header-bar">
              <span className="app-name">
                <WalletOutlined aria-hidden /> {t('app.name')}
              </span>
              <Space wrap>
                <LanguageSwitch />
                <Button
                  data-testid="lock-now"
                  icon={<LockOutlined aria-hidden />}
                  onClick={() => {
                    lockNow.mutate();
                  }}
                >
                  {t('header.lockNow')}
                </Button>
                <Button
                  data-testid="sign-out"
                  icon={<LogoutOutlined aria-hidden />}
                  onClick={() => {
                    signOut.mutate();
                  }}
                >
                  {t('header.signOut')}
                </Button>
              </Space>
            </div>
            <div aria-live="polite" aria-atomic="true" className="idle-warning-region">
              {warnSecs !== null && (
                <p className="idle-warning" data-testid="idle-warning">
                  <ClockCircleOutlined aria-hidden /> {t('idle.warning', { secs: warnSecs })}
                </p>
              )}
            </div>
          </Layout.Header>
          <Layout hasSider className="shell-body">
            <Layout.Sider width={220} className="app-sider">
              <nav aria-label={t('nav.label')}>
                <ul className="nav-list">
                  {areas.map((area) => (
                    <li key={area}>
                      <button
                        type="button"
                        className={area === current ? 'nav-item nav-item-current' : 'nav-item'}
                        data-testid={`nav-${area}`}
                        aria-current={area === current ? 'page' : undefined}
                        onClick={() => {
                          // A transition: the screen shown stays until the next one's chunk
                          // has loaded, instead of a spinner flashing in between.
                          startTransition(() => {
                            setChosen(area);
                          });
                        }}
                      >
                        <AreaIcon area={area} />
                        <span>{t(`area.${area}`)}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
            </Layout.Sider>
            <Layout.Content id={MAIN_ID} tabIndex={-1} className="app-main">
              {current !== undefined && (
                <Suspense fallback={<Spin className="page-loading" aria-label={t('app.loading')} />}>
                  <AreaPage key={current} area={current} />
                </Suspense>
              )}
            </Layout.Content>
          </Layout>
          <Layout.Footer className="app-footer">
            <StatusBar status={status} session={session} />
          </Layout.Footer>
        </Layout>
      </div>
      {locked && <LockScreen session={session} />}
    </>
  );
}
