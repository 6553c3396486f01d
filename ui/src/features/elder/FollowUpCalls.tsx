import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { CallOutcome } from '../../bindings/CallOutcome';
import type { FollowUpCall } from '../../bindings/FollowUpCall';
import { useErrorText } from '../../shell/errors';

const OUTCOMES: CallOutcome[] = ['fine', 'no_answer', 'needs_help', 'fraud_concern'];

/** The branch's follow-up calls after assisted setups: due today and overdue, as core lists them. */
export function FollowUpCalls() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const queue = useQuery({ queryKey: ['elder', 'calls'], queryFn: () => backend.elderFollowUps() });
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [outcomes, setOutcomes] = useState<Record<number, CallOutcome>>({});
  const [done, setDone] = useState(false);
  const record = useMutation({
    mutationFn: (c: FollowUpCall) => backend.elderFollowUpRecord({ callId: c.id, outcome: outcomes[c.id] ?? 'fine', note: notes[c.id] ?? '' }),
    onSuccess: () => { setDone(true); void client.invalidateQueries({ queryKey: ['elder'] }); },
  });
  const row = (c: FollowUpCall) => (
    <li key={c.id} data-testid={`elder-call-${c.id}`}>
      <Space wrap>
        <span>{c.customerName} · {c.dueOn}</span>
        <label htmlFor={`call-outcome-${c.id}`} className="visually-hidden">{t('elder.calls.title')}</label>
        <Select id={`call-outcome-${c.id}`} style={{ width: 180 }} value={outcomes[c.id] ?? 'fine'}
          options={OUTCOMES.map((o) => ({ value: o, label: t(`elder.calls.outcomes.${o}`) }))}
          onChange={(v: CallOutcome) => { setOutcomes((x) => ({ ...x, [c.id]: v })); }} />
        <label htmlFor={`call-note-${c.id}`}>{t('elder.calls.note')}</label>
        <Input id={`call-note-${c.id}`} style={{ width: 240 }} value={notes[c.id] ?? ''}
          onChange={(e) => { setNotes((x) => ({ ...x, [c.id]: e.target.value })); }} />
        <Button data-testid={`elder-call-record-${c.id}`} loading={record.isPending} onClick={() => { record.mutate(c); }}>
          {t('elder.calls.record')}
        </Button>
      </Space>
    </li>
  );
  const q = queue.data;
  return (
    <div className="elder-calls" data-testid="elder-calls">
      <h3>{t('elder.calls.title')}</h3>
      {(queue.isError || record.isError) && <Alert type="error" showIcon message={errorText(queue.error ?? record.error)} />}
      {done && <p role="status">{t('elder.calls.recorded')}</p>}
      {q !== undefined && q.dueToday.length + q.overdue.length === 0 && <p>{t('elder.calls.none')}</p>}
      {q !== undefined && q.overdue.length > 0 && (
        <>
          <h4>{t('elder.calls.overdue')}</h4>
          <ul>{q.overdue.map(row)}</ul>
        </>
      )}
      {q !== undefined && q.dueToday.length > 0 && (
        <>
          <h4>{t('elder.calls.dueToday')}</h4>
          <ul>{q.dueToday.map(row)}</ul>
        </>
      )}
      {q !== undefined && q.upcoming.length > 0 && (
        <>
          <h4>{t('elder.calls.pending')}</h4>
          <ul data-testid="elder-calls-upcoming">
            {q.upcoming.map((c) => (
              <li key={c.id}>{c.customerName} · {c.dueOn}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
