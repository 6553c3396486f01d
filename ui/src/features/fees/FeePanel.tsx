import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { FeeQuoteLine } from '../../bindings/FeeQuoteLine';
import { formatMoney } from '../../shell/money';

/**
 * The fees of a wallet tier as the core's schedule says (the console's last copy, so it shows
 * offline too), with a fee-waiver campaign's waiver. Core decides every line, what is waived and
 * what is due; this only renders it. Used where the teller or booth staff explain the wallet.
 */
export function FeePanel({ tier, campaign, testId }: { tier: number; campaign?: string | null; testId: string }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const code = campaign === undefined || campaign === null || campaign === '' ? null : campaign;
  const quote = useQuery({
    queryKey: ['fees', tier, code ?? ''],
    queryFn: () => backend.feeQuote({ tier, campaign: code }),
  });
  const titleId = `${testId}-title`;
  const amountText = (line: FeeQuoteLine): string => {
    if (line.waived !== null) {
      const why = line.waived.confirmed
        ? t('fees.waived', { campaign: line.waived.campaignName })
        : t('fees.promised', { campaign: line.waived.campaignName });
      return `${formatMoney(line.amount)} — ${why}`;
    }
    if (line.free) return t('fees.free');
    return line.charged === 'per-use' ? t('fees.perUse', { amount: formatMoney(line.amount) }) : formatMoney(line.amount);
  };
  return (
    <section aria-labelledby={titleId} className="panel" data-testid={testId}>
      <h3 id={titleId}>{t('fees.title', { tier })}</h3>
      {quote.data === undefined ? null : !quote.data.known ? (
        <p data-testid={`${testId}-unknown`}>{t('fees.unknown')}</p>
      ) : (
        <>
          <dl className="onb-dl">
            {quote.data.lines.map((line) => (
              <div key={line.service} data-testid={`${testId}-${line.service}`}>
                <dt>{line.name}</dt>
                <dd>
                  {amountText(line)}
                  <br />
                  <span className="field-note">{line.note}</span>
                </dd>
              </div>
            ))}
          </dl>
          <p data-testid={`${testId}-due`}>
            <strong>{t('fees.due', { amount: formatMoney(quote.data.dueAtOpening) })}</strong>
          </p>
        </>
      )}
    </section>
  );
}
