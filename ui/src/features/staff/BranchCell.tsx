import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { StaffSummary } from '../../bindings/StaffSummary';
import { useErrorText } from '../../shell/errors';

/**
 * A supervisor's branch for Insights (empty: head office, every branch). Whether an account
 * takes one, and what a branch code may be, are core's answers (`branchSettable`, the refusal's
 * field code); the cell types the code as the administrator enters it, full-width or not.
 */
export function BranchCell({ row, queryKey }: { row: StaffSummary; queryKey: readonly unknown[] }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [typed, setTyped] = useState(row.branch ?? '');
  const save = useMutation({
    mutationFn: () => backend.staffSetBranch({ staffId: row.staffId, branch: typed }),
    onSuccess: (after) => {
      setTyped(after.branch ?? '');
      return client.invalidateQueries({ queryKey });
    },
  });
  const shown = row.branch ?? t('staffAdmin.headOffice');
  if (!row.branchSettable) return <span>{t('staffAdmin.branchNotApplicable')}</span>;
  return (
    <Space direction="vertical" size={4}>
      <span data-testid={`staff-branch-${row.username}`}>{shown}</span>
      <Space wrap>
        <Input
          aria-label={t('staffAdmin.branchOf', { name: row.displayName })}
          data-testid={`staff-branch-input-${row.username}`}
          placeholder={t('staffAdmin.branchPlaceholder')}
          value={typed}
          maxLength={40}
          onChange={(e) => { setTyped(e.target.value); }}
        />
        <Button
          data-testid={`staff-set-branch-${row.username}`}
          loading={save.isPending}
          onClick={() => { save.mutate(); }}
        >
          {t('staffAdmin.setBranch')}
        </Button>
      </Space>
      {save.isError && (
        <Alert type="error" showIcon data-testid={`staff-branch-error-${row.username}`} message={errorText(save.error)} />
      )}
    </Space>
  );
}
