import { GiftOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Suggestion } from '../../bindings/Suggestion';
import { useErrorText } from '../../shell/errors';
import { COMPLAINTS_KEY, labelledTable } from './shared';

const SUGGESTIONS_KEY = [...COMPLAINTS_KEY, 'suggestions'] as const;

/** The suggestion box: anyone on the desk files an idea; a supervisor rewards a good one. */
export function SuggestionsView({ mayReward }: { mayReward: boolean }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ idea?: string; suggestedBy?: string }>();
  const [done, setDone] = useState<string | null>(null);
  const list = useQuery({ queryKey: SUGGESTIONS_KEY, queryFn: () => backend.complaintSuggestions() });
  const refresh = () => client.invalidateQueries({ queryKey: SUGGESTIONS_KEY });
  const add = useMutation({
    mutationFn: (v: { idea: string; suggestedBy: string }) => backend.complaintSuggest({ caseId: null, ...v }),
    onSuccess: async () => {
      form.resetFields();
      setDone(t('complaintDesk.suggestions.added'));
      await refresh();
    },
  });
  const reward = useMutation({
    mutationFn: (id: number) => backend.complaintGrantReward(id),
    onSuccess: async () => {
      setDone(t('complaintDesk.suggestions.rewarded'));
      await refresh();
    },
  });
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  const columns: TableColumnsType<Suggestion> = [
    { title: t('complaintDesk.suggestions.at'), dataIndex: 'at', key: 'at', render: (at: string) => at.slice(0, 10) },
    { title: t('complaintDesk.suggestions.idea'), dataIndex: 'idea', key: 'idea' },
    { title: t('complaintDesk.suggestions.by'), dataIndex: 'suggestedBy', key: 'by' },
    {
      title: t('complaintDesk.suggestions.reward'),
      key: 'reward',
      render: (_: unknown, s: Suggestion) =>
        s.rewardGranted ? (
          <span data-testid={`suggestion-rewarded-${s.id}`}>{t('complaintDesk.suggestions.granted')}</span>
        ) : mayReward ? (
          <Button
            size="small"
            data-testid={`suggestion-reward-${s.id}`}
            icon={<GiftOutlined aria-hidden />}
            loading={reward.isPending && reward.variables === s.id}
            onClick={() => {
              reward.mutate(s.id);
            }}
          >
            {t('complaintDesk.suggestions.grant')}
          </Button>
        ) : (
          t('complaintDesk.suggestions.notYet')
        ),
    },
  ];
  const error = add.error ?? reward.error ?? list.error;
  return (
    <section aria-labelledby="complaint-suggestions-title" data-testid="complaint-suggestions">
      <h2 id="complaint-suggestions-title">{t('complaintDesk.suggestions.title')}</h2>
      <p>{t('complaintDesk.suggestions.hint')}</p>
      <div aria-live="polite" aria-atomic="true">
        {done !== null && <Alert className="form-alert" type="success" showIcon data-testid="suggestion-done" message={done} />}
      </div>
      {error !== null && <Alert className="form-alert" type="error" showIcon message={errorText(error)} />}
      <Form
        form={form}
        name="complaint-suggest"
        layout="vertical"
        onFinish={(v) => {
          setDone(null);
          add.mutate({ idea: (v.idea ?? '').trim(), suggestedBy: (v.suggestedBy ?? '').trim() });
        }}
      >
        <Form.Item label={t('complaintDesk.suggestions.idea')} name="idea" rules={required}>
          <Input.TextArea data-testid="suggestion-idea" rows={2} />
        </Form.Item>
        <Form.Item label={t('complaintDesk.suggestions.by')} name="suggestedBy" rules={required}>
          <Input data-testid="suggestion-by" autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="suggestion-submit" loading={add.isPending}>
          {t('complaintDesk.suggestions.submit')}
        </Button>
      </Form>
      <Table<Suggestion>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('complaintDesk.suggestions.empty')}</p> }}
        components={labelledTable('complaintDesk.suggestions.title')}
      />
    </section>
  );
}
