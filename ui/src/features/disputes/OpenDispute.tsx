import { FileSearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { DateField } from '../../components/DateField';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { TEAM_WORK_KEY } from '../complaints/team/useTeam';
import { DISPUTES_KEY, reasonText } from './shared';

interface Props {
  /** Known when opened from the Customer 360's transaction list. */
  customerId?: string;
  transactionId?: string;
  /** Team mode: the dispute opens in the team's shared queue (the team store), not the desk's. */
  team?: boolean;
  onOpened: (opened: { id: number; caseNo: string }) => void;
}

/**
 * Opens a dispute on a transaction the core holds: by reference at the desk, or from a
 * customer's transaction list. The core pulls the transaction; one dispute per transaction.
 */
export function OpenDispute({ customerId, transactionId, team = false, onOpened }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const client = useQueryClient();
  const config = useQuery({ queryKey: [...DISPUTES_KEY, 'config'], queryFn: () => backend.disputeConfig() });
  const [customer, setCustomer] = useState(customerId ?? '');
  const [reference, setReference] = useState(transactionId ?? '');
  const [reason, setReason] = useState('');
  const [statementOn, setStatementOn] = useState('');
  const [pointOfSale, setPointOfSale] = useState(false);
  const [foreign, setForeign] = useState(false);
  const open = useMutation({
    mutationFn: async () => {
      const input = {
        customerId: customer.trim(),
        transactionId: reference.trim(),
        reason,
        statementOn: statementOn === '' ? null : statementOn,
        accountOpenedOn: null,
        pointOfSale,
        foreign,
      };
      return team ? backend.teamDisputeOpen(input) : backend.disputeOpen(input);
    },
    onSuccess: (opened) => {
      void client.invalidateQueries({ queryKey: team ? TEAM_WORK_KEY : DISPUTES_KEY });
      onOpened(opened);
    },
  });
  const regE = config.data?.policy.set === 'usRegulationE';
  const id = (name: string) => `dispute-open-${name}-${transactionId ?? 'desk'}`;
  return (
    <form
      className="dispute-open"
      aria-label={t('disputes.open.title')}
      onSubmit={(e) => {
        e.preventDefault();
        open.mutate();
      }}
    >
      {customerId === undefined && (
        <>
          <label className="field-label" htmlFor={id('customer')}>
            {t('disputes.open.customer')}
          </label>
          <Input id={id('customer')} data-testid="dispute-open-customer" value={customer} onChange={(e) => { setCustomer(e.target.value); }} />
          <label className="field-label" htmlFor={id('reference')}>
            {t('disputes.open.reference')}
          </label>
          <Input id={id('reference')} data-testid="dispute-open-reference" value={reference} onChange={(e) => { setReference(e.target.value); }} />
        </>
      )}
      <label className="field-label" htmlFor={id('reason')}>
        {t('disputes.open.reason')}
      </label>
      <NativeSelect
        id={id('reason')}
        data-testid="dispute-open-reason"
        placeholder={t('disputes.open.chooseReason')}
        value={reason}
        options={(config.data?.reasons ?? []).map((r) => ({ value: r.code, label: reasonText(t, r.code) }))}
        onChange={setReason}
      />
      {regE && (
        <>
          <label className="field-label" htmlFor={id('statement')}>
            {t('disputes.open.statementOn')}
          </label>
          <DateField id={id('statement')} value={statementOn} onChange={(v) => { setStatementOn(v ?? ''); }} />
          <Checkbox checked={pointOfSale} onChange={(e) => { setPointOfSale(e.target.checked); }}>
            {t('disputes.open.pointOfSale')}
          </Checkbox>
          <Checkbox checked={foreign} onChange={(e) => { setForeign(e.target.checked); }}>
            {t('disputes.open.foreign')}
          </Checkbox>
        </>
      )}
      {open.isError && <Alert className="form-alert" type="error" showIcon message={errorText(open.error)} />}
      <Button
        htmlType="submit"
        type="primary"
        data-testid="dispute-open-submit"
        icon={<FileSearchOutlined aria-hidden />}
        disabled={reason === '' || customer.trim() === '' || reference.trim() === ''}
        loading={open.isPending}
      >
        {t('disputes.open.submit')}
      </Button>
    </form>
  );
}
