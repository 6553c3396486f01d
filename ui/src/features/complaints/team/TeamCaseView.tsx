import { ArrowLeftOutlined, CheckOutlined, FieldTimeOutlined, FormOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Input, Space, Spin } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import { toApiError } from '../../../backend/errors';
import type { CaseAction } from '../../../bindings/CaseAction';
import type { TeamCase } from '../../../bindings/TeamCase';
import { useErrorText } from '../../../shell/errors';
import { TEAM_WORK_KEY } from './useTeam';

type Step = 'note' | 'extend' | 'decide';

/**
 * One team case. Each step names the version this screen shows: if a colleague moved the case
 * meanwhile core refuses it (`stale_version`) and the screen offers the fresh copy, keeping
 * the text typed. Which steps show is core's answer (`actions`): which extension is next, and
 * whether the case can be taken, are never worked out here.
 */
export function TeamCaseView({ caseId, onBack }: { caseId: number; onBack: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const textId = useId();
  const [text, setText] = useState('');
  const key = [...TEAM_WORK_KEY, 'case', caseId];
  const found = useQuery({ queryKey: key, queryFn: () => backend.teamCase(caseId) });
  const take = useMutation({
    mutationFn: () => backend.teamTake(caseId),
    onSuccess: (outcome) => {
      if (outcome.kind === 'taken') client.setQueryData(key, outcome.case);
      void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
    },
  });
  const step = useMutation({
    mutationFn: ({ kind, c }: { kind: Step; c: TeamCase }) => {
      const input = { caseId: c.id, version: c.version, text };
      if (kind === 'note') return backend.teamNote(input);
      if (kind === 'extend') return backend.teamExtend(input);
      return backend.teamDecide(input);
    },
    onSuccess: (next) => {
      setText('');
      client.setQueryData(key, next);
      void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
    },
  });

  if (found.isPending) return <Spin aria-label={t('app.loading')} />;
  if (found.isError) return <Alert type="error" showIcon message={errorText(found.error)} />;
  const c = found.data;
  const stale = step.isError && toApiError(step.error).fields.some((f) => f.code === 'stale_version');
  const may = (action: CaseAction) => c.actions.includes(action);
  const extend = may('extendComplex') ? 'extendComplex' : may('requestExtension') ? 'requestExtension' : null;
  const hasTextStep = may('addNote') || extend !== null || may('decide');
  return (
    <section aria-labelledby="team-case-title" className="panel" data-testid="team-case">
      <Button icon={<ArrowLeftOutlined aria-hidden />} data-testid="team-back" onClick={onBack}>
        {t('complaints.backToQueue')}
      </Button>
      <h2 id="team-case-title">{t('complaints.caseTitle', { caseNo: c.caseNo })}</h2>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('team.col.status')}>
          <span data-testid="team-case-status">{t(`team.status.${c.status}`)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('complaints.assignee')}>
          <span data-testid="team-case-assignee">{c.assigneeName ?? t('complaints.nobody')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('team.col.product')}>{c.product}</Descriptions.Item>
        <Descriptions.Item label={t('team.col.branch')}>{c.branch}</Descriptions.Item>
        <Descriptions.Item label={t('complaints.receivedOn')}>{c.receivedOn}</Descriptions.Item>
        <Descriptions.Item label={t('complaints.col.due')}>
          <span data-testid="team-case-due">{c.dueOn}</span>
        </Descriptions.Item>
      </Descriptions>
      {may('assignToMe') && (
        <Button type="primary" data-testid="team-case-take" loading={take.isPending} onClick={() => { take.mutate(); }}>
          {t('team.take')}
        </Button>
      )}
      {take.data?.kind === 'alreadyTaken' && (
        <p role="status" data-testid="team-case-taken-by">
          {t('team.takenBy', { caseNo: take.data.caseNo, name: take.data.byName })}
        </p>
      )}
      {take.isError && <Alert className="form-alert" type="error" showIcon message={errorText(take.error)} />}
      {c.extensionPending && (
        <p role="status" data-testid="team-extension-pending">{t('complaints.extensionPending')}</p>
      )}
      {hasTextStep && (
        <div className="team-steps">
          <label htmlFor={textId}>{t('team.stepText')}</label>
          <Input.TextArea
            id={textId}
            data-testid="team-step-text"
            rows={3}
            value={text}
            onChange={(e) => { setText(e.target.value); }}
          />
          <Space wrap>
            {may('addNote') && (
              <Button data-testid="team-note" icon={<FormOutlined aria-hidden />} loading={step.isPending && step.variables.kind === 'note'} onClick={() => { step.mutate({ kind: 'note', c }); }}>
                {t('complaints.addNote')}
              </Button>
            )}
            {extend !== null && (
              <Button data-testid="team-extend" data-extension={extend} icon={<FieldTimeOutlined aria-hidden />} loading={step.isPending && step.variables.kind === 'extend'} onClick={() => { step.mutate({ kind: 'extend', c }); }}>
                {t(`complaints.${extend}`)}
              </Button>
            )}
            {may('decide') && (
              <Button type="primary" data-testid="team-decide" icon={<CheckOutlined aria-hidden />} loading={step.isPending && step.variables.kind === 'decide'} onClick={() => { step.mutate({ kind: 'decide', c }); }}>
                {t('complaints.decide')}
              </Button>
            )}
          </Space>
        </div>
      )}
      {step.isSuccess && <p role="status" data-testid="team-step-done">{t('team.stepDone')}</p>}
      {step.isError && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          data-testid="team-step-error"
          message={errorText(step.error)}
          action={
            stale ? (
              <Button data-testid="team-reload" icon={<ReloadOutlined aria-hidden />} onClick={() => { void found.refetch().then(() => { step.reset(); }); }}>
                {t('team.reload')}
              </Button>
            ) : undefined
          }
        />
      )}
    </section>
  );
}
