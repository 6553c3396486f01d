import { useState } from 'react';
import { toApiError, type Backend } from '../../backend';
import type { ElderScreen } from '../../bindings/ElderScreen';
import type { PracticeView } from '../../bindings/PracticeView';
import zhCN from '../../i18n/zh-CN.json';

/** Refusals core sends for one input, in the customer's words (zh-CN, like the rest of the window). */
const DETAIL: Partial<Record<string, string>> = zhCN.errors.detail;

/** What the customer reads when core refuses a step: its field's reason, or being offline. */
export function practiceRefusal(error: unknown): string {
  const api = toApiError(error);
  if (api.code === 'core_unavailable') return '现在连不上银行，付款没有成功，也没有扣钱。请稍等再试，或请工作人员帮忙。';
  const code = api.fields[0]?.code;
  const detail = code === undefined ? undefined : DETAIL[code];
  return detail ?? '这一步没有办成，请再试一次，或请工作人员帮忙。';
}

const LABEL = { payee: '收款人（输入名字，或扫一扫收款码）', amount: '金额（元）', password: '支付密码' } as const;

/**
 * The practice payment on the customer's window: the one field core asks for now (payee, then
 * amount, then the payment password), large, with one button. Which field, the tries left, and
 * whether "undo" is offered are all core's (`PracticeView`); the page decides nothing.
 */
export function PracticeStep({ practice, backend, busy, act, failed }: {
  practice: PracticeView;
  backend: Backend;
  busy: boolean;
  act: (run: () => Promise<ElderScreen>) => void;
  failed: unknown;
}) {
  const [value, setValue] = useState('');
  const field = practice.field;
  if (field === null) {
    return failed === null ? null : <p className="elder-note" role="alert" data-testid="elder-practice-error">{practiceRefusal(failed)}</p>;
  }
  const submit = () => {
    const typed = value;
    setValue('');
    if (field === 'password') act(() => backend.elderPracticePay({ password: typed }));
    else act(() => backend.elderPracticeEnter({ field, value: typed }));
  };
  return (
    <form className="elder-practice" data-testid="elder-practice" data-field={field}
      onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <label className="elder-label" htmlFor="elder-practice-input">{LABEL[field]}</label>
      <input id="elder-practice-input" className="elder-input" data-testid="elder-practice-input"
        type={field === 'password' ? 'password' : 'text'}
        inputMode={field === 'payee' ? 'text' : 'decimal'}
        autoComplete="off" value={value} onChange={(e) => { setValue(e.target.value); }} />
      {failed !== null && <p className="elder-note" role="alert" data-testid="elder-practice-error">{practiceRefusal(failed)}</p>}
      <div className="elder-actions">
        <button type="submit" className="elder-button" data-testid="elder-practice-submit" disabled={busy || value.trim() === ''}>
          {field === 'password' ? '付款' : '下一步'}
        </button>
      </div>
    </form>
  );
}
