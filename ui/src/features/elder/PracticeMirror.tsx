import { useTranslation } from 'react-i18next';
import type { ElderScreen } from '../../bindings/ElderScreen';

/**
 * The staff window's mirror of the customer's practice payment: what the customer's window
 * shows now (core's words) and core's state of it. Staff see, never type: the practice
 * commands are the customer window's only (src-tauri/build.rs).
 */
export function PracticeMirror({ screen }: { screen: ElderScreen }) {
  const { t } = useTranslation();
  const p = screen.practice;
  if (p === null) return null;
  return (
    <div className="elder-practice-mirror" data-testid="elder-practice-staff" data-stage={p.stage}>
      <h3>{t('elder.practice.title')}</h3>
      <p data-testid="elder-practice-stage">{t(`elder.practice.stages.${p.stage}`)}</p>
      <ul aria-label={t('elder.customerSees')}>
        {screen.lines.map((l, i) => <li key={i} lang="zh-CN">{l.zh}</li>)}
      </ul>
      <dl>
        {p.payee !== null && (<><dt>{t('elder.practice.payee')}</dt><dd>{p.payee}</dd></>)}
        {p.amount !== null && (<><dt>{t('elder.practice.amount')}</dt><dd>{p.amount}</dd></>)}
        {p.triesRemaining !== null && (
          <><dt>{t('elder.practice.triesRemaining')}</dt><dd data-testid="elder-practice-tries">{p.triesRemaining}</dd></>
        )}
        {p.stage === 'paid' && (
          <><dt>{t('elder.practice.undoUntil')}</dt><dd>{p.mayUndo && p.undoUntil !== null ? p.undoUntil : t('elder.practice.undoClosed')}</dd></>
        )}
      </dl>
      {p.field === 'password' && <p>{t('elder.practice.passwordNote')}</p>}
    </div>
  );
}
