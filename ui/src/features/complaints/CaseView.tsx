import {
  ArrowLeftOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  EditOutlined,
  FieldTimeOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  MergeCellsOutlined,
  RedoOutlined,
  RiseOutlined,
  RollbackOutlined,
  SendOutlined,
  SolutionOutlined,
  StopOutlined,
  UserAddOutlined,
  UserDeleteOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Tag } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { CaseAction } from '../../bindings/CaseAction';
import type { ComplaintDetail } from '../../bindings/ComplaintDetail';
import type { ContactKind } from '../../bindings/ContactKind';
import type { ContactOutcome } from '../../bindings/ContactOutcome';
import type { LetterOutcome } from '../../bindings/LetterOutcome';
import type { RootCause } from '../../bindings/RootCause';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { InterestDialog, MergeDialog, PauseTold } from './CaseSteps';
import { TemplatePicker } from './Templates';
import { useDesk } from './desk';
import {
  CONTACT_KINDS,
  CONTACT_OUTCOMES,
  COMPLAINTS_KEY,
  ClockText,
  MONEY,
  ROOT_CAUSES,
  download,
  options,
  staffName,
  useMe,
} from './shared';

const LETTER_OUTCOMES: LetterOutcome[] = ['upheld', 'partlyUpheld', 'notUpheld'];

/** The zh-CN decision letter as a PDF the handler saves and prints. */
function DecisionLetter({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [outcome, setOutcome] = useState<LetterOutcome | ''>('');
  const letter = useMutation({
    mutationFn: (chosen: LetterOutcome) => backend.complaintLetter({ caseId, outcome: chosen }),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, new Uint8Array(file.bytes));
    },
  });
  return (
    <div className="complaint-letter" data-testid="complaint-letter-panel">
      <label htmlFor={`complaint-letter-outcome-${caseId}`} className="field-label">
        {t('complaints.letter.outcome')}
      </label>
      <NativeSelect
        id={`complaint-letter-outcome-${caseId}`}
        data-testid="complaint-letter-outcome"
        placeholder={t('complaints.letter.choose')}
        value={outcome}
        options={LETTER_OUTCOMES.map((o) => ({ value: o, label: t(`complaints.letter.${o}`) }))}
        onChange={(v) => {
          setOutcome(v as LetterOutcome | '');
        }}
      />
      <Button
        data-testid="complaint-letter"
        disabled={outcome === ''}
        loading={letter.isPending}
        onClick={() => {
          if (outcome !== '') letter.mutate(outcome);
        }}
      >
        {t('complaints.letter.make')}
      </Button>
      {letter.isSuccess && (
        <p role="status" data-testid="complaint-letter-done">
          {t('complaints.letter.done', { name: letter.data.fileName })}
        </p>
      )}
      {letter.isError && (
        <Alert type="error" showIcon data-testid="complaint-letter-error" message={errorText(letter.error)} />
      )}
    </div>
  );
}

export function caseKey(id: number) {
  return [...COMPLAINTS_KEY, 'case', id] as const;
}

/** After a step: show the case as the core returned it; queues and lists re-read. */
export function useCaseUpdated() {
  const client = useQueryClient();
  return (detail: ComplaintDetail) => {
    client.setQueryData(caseKey(detail.id), detail);
    void client.invalidateQueries({
      predicate: (q) => q.queryKey[0] === COMPLAINTS_KEY[0] && q.queryKey[1] !== 'case',
    });
  };
}

type TextAction = 'note' | 'pause' | 'extendComplex' | 'requestExtension' | 'withdraw' | 'review' | 'newFacts' | 'escalate';

interface Props {
  caseId: number;
  onBack: () => void;
  onOpen: (caseId: number) => void;
}

export function CaseView({ caseId, onBack, onOpen }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const updated = useCaseUpdated();
  const me = useMe();
  const [dialog, setDialog] = useState<TextAction | 'contact' | 'merge' | 'interest' | null>(null);
  const [deciding, setDeciding] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const detail = useQuery({ queryKey: caseKey(caseId), queryFn: () => backend.complaintGet(caseId) });

  const step = useMutation({
    mutationFn: (run: () => Promise<ComplaintDetail>) => run(),
    onSuccess: (d) => {
      updated(d);
    },
  });
  const run = (message: string, call: () => Promise<ComplaintDetail>) => {
    setDone(null);
    step.mutate(call, {
      onSuccess: () => {
        setDone(message);
      },
    });
  };

  const back = (
    <Button data-testid="complaint-back" icon={<ArrowLeftOutlined aria-hidden />} onClick={onBack}>
      {t('complaints.backToQueue')}
    </Button>
  );
  if (detail.isError) {
    return (
      <section className="panel">
        <Alert className="form-alert" type="error" showIcon message={errorText(detail.error)} />
        {back}
      </section>
    );
  }
  if (detail.data === undefined) return <p>{t('app.loading')}</p>;
  const c = detail.data;
  // Core lists the steps the signed-in staff member may take now; the screen offers those.
  const may = (action: CaseAction) => c.actions.includes(action);
  const open = c.status === 'open' || c.status === 'paused';
  const pending = c.extensions.some((e) => e.status === 'pending');
  const who =
    c.complainant.kind === 'customer'
      ? t('complaints.customerId', { id: c.complainant.customerId })
      : t('complaints.notCustomer', { name: c.complainant.name, contact: c.complainant.contact });

  return (
    <section aria-labelledby="complaint-case-title" data-testid="complaint-case">
      <Space wrap className="complaint-case-head">
        {back}
        <h2 id="complaint-case-title" data-testid="complaint-case-no">
          {t('complaints.caseTitle', { caseNo: c.caseNo })}
        </h2>
        <Tag data-testid="complaint-status">{t(`complaints.status.${c.status}`)}</Tag>
      </Space>

      <div aria-live="polite" aria-atomic="true">
        {done !== null && <Alert className="form-alert" type="success" showIcon data-testid="complaint-done" message={done} />}
      </div>
      {step.isError && (
        <Alert className="form-alert" type="error" showIcon data-testid="complaint-error" message={errorText(step.error)} />
      )}

      <div className="complaint-grid">
        <section aria-labelledby="complaint-facts-title" className="panel">
          <h3 id="complaint-facts-title">{t('complaints.facts')}</h3>
          <dl className="complaint-dl">
            <Item label={t('complaints.col.customer')}>{who}</Item>
            <Item label={t('complaints.col.channel')}>{t(`complaints.channel.${c.channel}`)}</Item>
            <Item label={t('complaints.form.product')}>{c.product}</Item>
            <Item label={t('complaints.form.severity')}>{t(`complaints.severity.${c.severity}`)}</Item>
            <Item label={t('complaints.form.whatHappened')}>{c.whatHappened}</Item>
            <Item label={t('complaints.form.customerAsks')}>{c.customerAsks}</Item>
            <Item label={t('complaints.assignee')}>{staffName(t, c.assigneeId, me.staffId)}</Item>
            <Item label={t('complaints.team')}>{c.team}</Item>
            {c.representatives.length > 0 && (
              <Item label={t('complaints.representatives')}>
                {c.representatives.map((r) => `${r.name}（${r.contact}）`).join('、')}
              </Item>
            )}
            {c.reviewOfId !== null && (
              <Item label={t('complaints.reviewOf')}>
                <Button type="link" className="complaint-case-link" onClick={() => { onOpen(c.reviewOfId ?? 0); }}>
                  {t('complaints.openCase')}
                </Button>
              </Item>
            )}
          </dl>
        </section>

        <section aria-labelledby="complaint-clock-title" className="panel">
          <h3 id="complaint-clock-title">{t('complaints.clockTitle')}</h3>
          <dl className="complaint-dl">
            <Item label={t('complaints.receivedOn')}>{c.receivedOn}</Item>
            <Item label={t('complaints.col.due')}>
              <span data-testid="complaint-due">{c.dueOn}</span>
            </Item>
            <Item label={t('complaints.clockState')}>
              <ClockText clock={c.clock} testId="complaint-clock" />
            </Item>
            <Item label={t('complaints.limit')}>{t('complaints.limitDays', { n: c.limitDays })}</Item>
            <Item label={t('complaints.pausedDays')}>{t('complaints.days', { n: c.pausedDays })}</Item>
          </dl>
          <PauseTold detail={c} mayRecord={may('pauseTold')} updated={updated} onDone={setDone} />
          {c.escalations.length > 0 && (
            <>
              <h4>{t('complaintDesk.escalations')}</h4>
              <ul className="complaint-list" data-testid="complaint-escalations">
                {c.escalations.map((e) => (
                  <li key={e.rule}>
                    <strong>{t(`complaintDesk.rule.${e.rule}`)}</strong> · {e.escalatedOn} · {e.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h4>{t('complaints.extensions')}</h4>
          {c.extensions.length === 0 ? (
            <p>{t('complaints.noExtensions')}</p>
          ) : (
            <ul className="complaint-list">
              {c.extensions.map((e) => (
                <li key={e.id} data-testid={`complaint-extension-${e.id}`}>
                  <strong>{t(`complaints.extKind.${e.kind}`)}</strong> · {t(`complaints.extStatus.${e.status}`)} ·{' '}
                  {e.reason}
                  {e.decisionNote !== null && ` · ${t('complaints.extNote', { note: e.decisionNote })}`}
                  {' · '}
                  {e.customerNotifiedAt !== null
                    ? t('complaints.notifiedAt', { at: e.customerNotifiedAt.slice(0, 10) })
                    : e.mayMarkNotified && (
                        <Button
                          size="small"
                          data-testid={`complaint-notified-${e.id}`}
                          icon={<SendOutlined aria-hidden />}
                          onClick={() => {
                            run(t('complaints.done.notified'), () => backend.complaintExtensionNotified(e.id));
                          }}
                        >
                          {t('complaints.markNotified')}
                        </Button>
                      )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {open && (
        <section aria-labelledby="complaint-actions-title" className="panel">
          <h3 id="complaint-actions-title">{t('complaints.actions')}</h3>
          <Space wrap>
            {may('assignToMe') && (
              <Button
                data-testid="complaint-assign-me"
                icon={<UserAddOutlined aria-hidden />}
                loading={step.isPending}
                onClick={() => {
                  run(t('complaints.done.assigned'), () =>
                    backend.complaintAssign({ caseId: c.id, assigneeId: me.staffId, team: null }),
                  );
                }}
              >
                {t('complaints.assignMe')}
              </Button>
            )}
            {may('addNote') && (
              <Button data-testid="complaint-add-note" icon={<EditOutlined aria-hidden />} onClick={() => { setDialog('note'); }}>
                {t('complaints.addNote')}
              </Button>
            )}
            {may('logContact') && (
              <Button data-testid="complaint-log-contact" icon={<PhoneOutlined aria-hidden />} onClick={() => { setDialog('contact'); }}>
                {t('complaints.logContact')}
              </Button>
            )}
            {may('resume') && (
              <Button
                data-testid="complaint-resume"
                icon={<PlayCircleOutlined aria-hidden />}
                onClick={() => {
                  run(t('complaints.done.resumed'), () => backend.complaintResume(c.id));
                }}
              >
                {t('complaints.resume')}
              </Button>
            )}
            {may('pause') && (
              <Button data-testid="complaint-pause" icon={<PauseCircleOutlined aria-hidden />} onClick={() => { setDialog('pause'); }}>
                {t('complaints.pause')}
              </Button>
            )}
            {may('extendComplex') && (
              <Button
                data-testid="complaint-extend-complex"
                icon={<ClockCircleOutlined aria-hidden />}
                onClick={() => {
                  setDialog('extendComplex');
                }}
              >
                {t('complaints.extendComplex')}
              </Button>
            )}
            {may('requestExtension') && (
              <Button
                data-testid="complaint-request-extension"
                icon={<FieldTimeOutlined aria-hidden />}
                onClick={() => {
                  setDialog('requestExtension');
                }}
              >
                {t('complaints.requestExtension')}
              </Button>
            )}
            {pending && <Tag data-testid="complaint-extension-pending">{t('complaints.extensionPending')}</Tag>}
            {may('withdraw') && (
              <Button data-testid="complaint-withdraw" icon={<StopOutlined aria-hidden />} onClick={() => { setDialog('withdraw'); }}>
                {t('complaints.withdraw')}
              </Button>
            )}
            {may('newFacts') && (
              <Button data-testid="complaint-new-facts" icon={<RedoOutlined aria-hidden />} onClick={() => { setDialog('newFacts'); }}>
                {t('complaintDesk.newFacts')}
              </Button>
            )}
            {may('mergeRepeat') && (
              <Button data-testid="complaint-merge" icon={<MergeCellsOutlined aria-hidden />} onClick={() => { setDialog('merge'); }}>
                {t('complaintDesk.merge.button')}
              </Button>
            )}
            {may('escalate') && (
              <Button data-testid="complaint-escalate" icon={<RiseOutlined aria-hidden />} onClick={() => { setDialog('escalate'); }}>
                {t('complaintDesk.escalate')}
              </Button>
            )}
            {may('declareInterest') && (
              <Button data-testid="complaint-interest" icon={<UserDeleteOutlined aria-hidden />} onClick={() => { setDialog('interest'); }}>
                {t('complaintDesk.interest.button')}
              </Button>
            )}
            <Button
              type="primary"
              data-testid="complaint-decide"
              icon={<SolutionOutlined aria-hidden />}
              disabled={!may('decide')}
              onClick={() => {
                setDeciding(true);
              }}
            >
              {t('complaints.decide')}
            </Button>
          </Space>
          {c.status === 'paused' && !may('decide') && <p>{t('complaints.decidePausedHint')}</p>}
        </section>
      )}

      {may('decide') && deciding && (
        <DecideForm
          caseId={c.id}
          onDone={() => {
            setDeciding(false);
            setDone(t('complaints.done.decided'));
          }}
          onCancel={() => {
            setDeciding(false);
          }}
        />
      )}

      {c.decision !== null && (
        <section aria-labelledby="complaint-decision-title" className="panel" data-testid="complaint-decision">
          <h3 id="complaint-decision-title">{t('complaints.decisionTitle')}</h3>
          <dl className="complaint-dl">
            <Item label={t('complaints.decideForm.findings')}>{c.decision.findings}</Item>
            <Item label={t('complaints.decideForm.reasons')}>{c.decision.reasons}</Item>
            <Item label={t('complaints.decideForm.remedy')}>{c.decision.remedy ?? t('common.none')}</Item>
            <Item label={t('complaints.decideForm.compensation')}>
              {c.decision.compensation === null ? t('common.none') : t('complaints.yuan', { amount: c.decision.compensation })}
            </Item>
            <Item label={t('complaints.decideForm.rootCause')}>{t(`complaints.rootCause.${c.decision.rootCause}`)}</Item>
            <Item label={t('complaints.decideForm.sourceFix')}>{c.decision.sourceFix}</Item>
            <Item label={t('complaints.customerOptions')}>
              {c.decision.options.map((o) => t(`complaints.option.${o}`)).join('、')}
            </Item>
            {c.reviewWindowEnd !== null && (
              <Item label={t('complaints.reviewWindowEnd')}>{c.reviewWindowEnd}</Item>
            )}
          </dl>
          <DecisionLetter caseId={c.id} />
          {c.reviewCaseId !== null ? (
            <Button
              data-testid="complaint-open-review"
              onClick={() => {
                onOpen(c.reviewCaseId ?? 0);
              }}
            >
              {t('complaints.openReview')}
            </Button>
          ) : (
            may('requestReview') && (
              <Button data-testid="complaint-request-review" icon={<RollbackOutlined aria-hidden />} onClick={() => { setDialog('review'); }}>
                {t('complaints.requestReview')}
              </Button>
            )
          )}
        </section>
      )}

      {(c.survey !== null || may('recordSurvey')) && <SurveyPanel detail={c} onDone={setDone} />}

      <section aria-labelledby="complaint-notes-title" className="panel">
        <h3 id="complaint-notes-title">{t('complaints.notes')}</h3>
        {c.notes.length === 0 ? (
          <p>{t('complaints.noNotes')}</p>
        ) : (
          <ul className="complaint-list" data-testid="complaint-notes">
            {c.notes.map((n) => (
              <li key={n.id}>
                <time dateTime={n.at}>{n.at.slice(0, 16).replace('T', ' ')}</time> · {staffName(t, n.authorId, me.staffId)} ·{' '}
                {n.body}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="complaint-contacts-title" className="panel">
        <h3 id="complaint-contacts-title">{t('complaints.contacts')}</h3>
        {c.contacts.length === 0 ? (
          <p>{t('complaints.noContacts')}</p>
        ) : (
          <ul className="complaint-list" data-testid="complaint-contacts">
            {c.contacts.map((x) => (
              <li key={x.id}>
                <time dateTime={x.at}>{x.at.slice(0, 16).replace('T', ' ')}</time> · {t(`complaints.contactKind.${x.kind}`)} ·{' '}
                {t(`complaints.contactOutcome.${x.outcome}`)} · {x.summary}
              </li>
            ))}
          </ul>
        )}
      </section>

      {dialog === 'contact' && (
        <ContactDialog
          caseId={c.id}
          categoryId={c.categoryId}
          onClose={(message) => {
            setDialog(null);
            if (message !== undefined) setDone(message);
          }}
        />
      )}
      {dialog === 'merge' && (
        <MergeDialog
          detail={c}
          updated={updated}
          onClose={(message, opened) => {
            setDialog(null);
            if (opened !== undefined && opened !== c.id) onOpen(opened);
            else if (message !== undefined) setDone(message);
          }}
        />
      )}
      {dialog === 'interest' && (
        <InterestDialog
          detail={c}
          updated={updated}
          onClose={(message) => {
            setDialog(null);
            if (message !== undefined) setDone(message);
          }}
        />
      )}
      {dialog !== null && dialog !== 'contact' && dialog !== 'merge' && dialog !== 'interest' && (
        <TextDialog
          action={dialog}
          detail={c}
          onClose={(message, opened) => {
            setDialog(null);
            if (opened !== undefined && opened !== c.id) onOpen(opened);
            else if (message !== undefined) setDone(message);
          }}
        />
      )}
    </section>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="complaint-dl-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One text, one command: a note, an appraisal, a reason, a withdrawal, review grounds. */
function TextDialog({
  action,
  detail,
  onClose,
}: {
  action: TextAction;
  detail: ComplaintDetail;
  /** `opened`: the case the step returned, when it is another one (a review case). */
  onClose: (message?: string, opened?: number) => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const updated = useCaseUpdated();
  const reviewTeam = useDesk()?.settings.reviewTeam ?? '';
  const [form] = Form.useForm<{ text?: string }>();
  const optional = action === 'withdraw';
  const call = (text: string): Promise<ComplaintDetail> => {
    const caseId = detail.id;
    switch (action) {
      case 'note':
        return backend.complaintAddNote({ caseId, text });
      case 'pause':
        return backend.complaintPause({ caseId, text });
      case 'extendComplex':
        return backend.complaintExtendComplex({ caseId, text });
      case 'requestExtension':
        return backend.complaintRequestExtension({ caseId, text });
      case 'withdraw':
        return backend.complaintWithdraw({ caseId, arrivedOn: null, note: text === '' ? null : text });
      case 'review':
        // The level above, as the supervisor set it in core (core refuses the case's own team).
        return backend.complaintRequestReview({ caseId, requestedOn: null, grounds: text, team: reviewTeam });
      case 'newFacts':
        return backend.complaintNewFacts({ caseId, text });
      case 'escalate':
        return backend.complaintEscalate({ caseId, reason: text });
    }
  };
  const submit = useMutation({
    mutationFn: call,
    onSuccess: (d) => {
      updated(d);
      onClose(t(`complaints.done.${action}`, { caseNo: d.caseNo }), d.id);
    },
  });
  return (
    <Modal
      open
      title={t(`complaints.dialog.${action}.title`)}
      onCancel={() => {
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      <p>{t(`complaints.dialog.${action}.hint`)}</p>
      {action === 'note' && (
        <TemplatePicker
          caseId={detail.id}
          categoryId={detail.categoryId}
          kinds={['message', 'letter', 'contact']}
          onText={(text) => {
            form.setFieldValue('text', text);
          }}
        />
      )}
      <Form<{ text?: string }>
        form={form}
        name={`complaint-text-${action}`}
        layout="vertical"
        onFinish={(values) => {
          submit.mutate((values.text ?? '').trim());
        }}
      >
        <Form.Item
          label={t(`complaints.dialog.${action}.label`)}
          name="text"
          rules={optional ? [] : [{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea data-testid="complaint-text-input" rows={3} />
        </Form.Item>
        {submit.isError && (
          <Alert className="form-alert" type="error" showIcon data-testid="complaint-text-error" message={errorText(submit.error)} />
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" data-testid="complaint-text-submit" loading={submit.isPending}>
            {t(`complaints.dialog.${action}.submit`)}
          </Button>
          <Button data-testid="complaint-text-cancel" onClick={() => { onClose(); }}>{t('sync.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

function ContactDialog({
  caseId,
  categoryId,
  onClose,
}: {
  caseId: number;
  categoryId: number;
  onClose: (message?: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ kind?: ContactKind; outcome?: ContactOutcome; summary?: string }>();
  const backend = useBackend();
  const errorText = useErrorText();
  const updated = useCaseUpdated();
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  const submit = useMutation({
    mutationFn: (v: { kind: ContactKind; outcome: ContactOutcome; summary: string }) =>
      backend.complaintLogContact({ caseId, ...v }),
    onSuccess: (d) => {
      updated(d);
      onClose(t('complaints.done.contact'));
    },
  });
  return (
    <Modal open title={t('complaints.logContact')} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <TemplatePicker
        caseId={caseId}
        categoryId={categoryId}
        kinds={['contact']}
        onText={(text) => {
          form.setFieldValue('summary', text);
        }}
      />
      <Form<{ kind?: ContactKind; outcome?: ContactOutcome; summary?: string }>
        form={form}
        name="complaint-contact"
        layout="vertical"
        initialValues={{ kind: 'call', outcome: 'reached' }}
        onFinish={(v) => {
          submit.mutate({ kind: v.kind ?? 'call', outcome: v.outcome ?? 'reached', summary: (v.summary ?? '').trim() });
        }}
      >
        <Form.Item label={t('complaints.contactForm.kind')} name="kind" rules={required}>
          <NativeSelect
            data-testid="complaint-contact-kind"
            placeholder={t('complaints.form.choose')}
            options={options(t, 'complaints.contactKind', CONTACT_KINDS)}
          />
        </Form.Item>
        <Form.Item label={t('complaints.contactForm.outcome')} name="outcome" rules={required}>
          <NativeSelect
            data-testid="complaint-contact-outcome"
            placeholder={t('complaints.form.choose')}
            options={options(t, 'complaints.contactOutcome', CONTACT_OUTCOMES)}
          />
        </Form.Item>
        <Form.Item label={t('complaints.contactForm.summary')} name="summary" rules={required}>
          <Input.TextArea data-testid="complaint-contact-summary" rows={3} />
        </Form.Item>
        {submit.isError && <Alert className="form-alert" type="error" showIcon message={errorText(submit.error)} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" data-testid="complaint-contact-submit" loading={submit.isPending}>
            {t('complaints.contactForm.submit')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('sync.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

interface DecideValues {
  findings?: string;
  reasons?: string;
  remedy?: string;
  compensation?: string;
  rootCause?: RootCause | '';
  sourceFix?: string;
}

function DecideForm({ caseId, onDone, onCancel }: { caseId: number; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const updated = useCaseUpdated();
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  const decide = useMutation({
    mutationFn: (v: DecideValues) => {
      const remedy = (v.remedy ?? '').trim();
      const compensation = (v.compensation ?? '').trim();
      return backend.complaintDecide({
        caseId,
        findings: (v.findings ?? '').trim(),
        reasons: (v.reasons ?? '').trim(),
        remedy: remedy === '' ? null : remedy,
        compensation: compensation === '' ? null : compensation,
        rootCause: (v.rootCause ?? 'other') as RootCause,
        sourceFix: (v.sourceFix ?? '').trim(),
      });
    },
    onSuccess: (d) => {
      updated(d);
      onDone();
    },
  });
  return (
    <section aria-labelledby="complaint-decide-title" className="panel">
      <h3 id="complaint-decide-title">{t('complaints.decideForm.title')}</h3>
      <Form<DecideValues>
        name="complaint-decide"
        layout="vertical"
        onFinish={(v) => {
          decide.mutate(v);
        }}
      >
        <Form.Item label={t('complaints.decideForm.findings')} name="findings" rules={required}>
          <Input.TextArea data-testid="complaint-decide-findings" rows={3} />
        </Form.Item>
        <Form.Item label={t('complaints.decideForm.reasons')} name="reasons" rules={required}>
          <Input.TextArea data-testid="complaint-decide-reasons" rows={3} />
        </Form.Item>
        <Form.Item label={t('complaints.decideForm.remedy')} name="remedy">
          <Input.TextArea data-testid="complaint-decide-remedy" rows={2} />
        </Form.Item>
        <Form.Item
          label={t('complaints.decideForm.compensation')}
          name="compensation"
          extra={t('complaints.decideForm.compensationHint')}
          rules={[{ pattern: MONEY, message: t('complaints.decideForm.money') }]}
        >
          <Input data-testid="complaint-decide-compensation" inputMode="decimal" autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('complaints.decideForm.rootCause')} name="rootCause" rules={required}>
          <NativeSelect
            data-testid="complaint-decide-root-cause"
            placeholder={t('complaints.form.choose')}
            options={options(t, 'complaints.rootCause', ROOT_CAUSES)}
          />
        </Form.Item>
        <Form.Item label={t('complaints.decideForm.sourceFix')} name="sourceFix" rules={required}>
          <Input.TextArea data-testid="complaint-decide-source-fix" rows={2} />
        </Form.Item>
        {decide.isError && (
          <Alert className="form-alert" type="error" showIcon data-testid="complaint-decide-error" message={errorText(decide.error)} />
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" data-testid="complaint-decide-submit" icon={<CheckOutlined aria-hidden />} loading={decide.isPending}>
            {t('complaints.decideForm.submit')}
          </Button>
          <Button onClick={onCancel}>{t('sync.cancel')}</Button>
        </Space>
      </Form>
    </section>
  );
}

function SurveyPanel({ detail, onDone }: { detail: ComplaintDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const updated = useCaseUpdated();
  const record = useMutation({
    mutationFn: (v: { score: number; comment: string }) => backend.complaintRecordSurvey({ caseId: detail.id, ...v }),
    onSuccess: (d) => {
      updated(d);
      onDone(t('complaints.done.survey'));
    },
  });
  const s = detail.survey;
  return (
    <section aria-labelledby="complaint-survey-title" className="panel">
      <h3 id="complaint-survey-title">{t('complaints.survey.title')}</h3>
      {s !== null ? (
        <p data-testid="complaint-survey-result">
          {t('complaints.survey.result', { score: s.score, label: t(`complaints.survey.score${s.score}`) })}
          {s.comment !== '' && ` · ${s.comment}`}
        </p>
      ) : (
        <Form<{ score?: string; comment?: string }>
          name="complaint-survey"
          layout="vertical"
          onFinish={(v) => {
            record.mutate({ score: Number(v.score), comment: (v.comment ?? '').trim() });
          }}
        >
          <Form.Item
            label={t('complaints.survey.score')}
            name="score"
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <NativeSelect
              data-testid="complaint-survey-score"
              placeholder={t('complaints.form.choose')}
              options={[5, 4, 3, 2, 1].map((n) => ({
                value: String(n),
                label: `${n} · ${t(`complaints.survey.score${n}`)}`,
              }))}
            />
          </Form.Item>
          <Form.Item label={t('complaints.survey.comment')} name="comment">
            <Input.TextArea data-testid="complaint-survey-comment" rows={2} />
          </Form.Item>
          {record.isError && (
            <Alert className="form-alert" type="error" showIcon data-testid="complaint-survey-error" message={errorText(record.error)} />
          )}
          <Button type="primary" htmlType="submit" data-testid="complaint-survey-submit" loading={record.isPending}>
            {t('complaints.survey.submit')}
          </Button>
        </Form>
      )}
    </section>
  );
}
