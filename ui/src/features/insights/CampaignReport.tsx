import { FilePdfOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Metric } from '../../bindings/Metric';
import { useErrorText } from '../../shell/errors';
import { download } from '../complaints/shared';

/**
 * Prints the campaign's one-page report (a PDF core makes and audits) and saves it the way
 * the XLSX export is saved.
 */
export function CampaignReportButton({ campaign, metric, activationDays }: { campaign: string; metric: Metric; activationDays: number }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const print = useMutation({
    mutationFn: () => backend.insightsCampaignReport({ campaign, metric, activationDays }),
    onSuccess: (f) => {
      download(f.fileName, f.contentType, new Uint8Array(f.bytes));
    },
  });
  return (
    <div>
      <Button
        data-testid="insight-report-pdf"
        icon={<FilePdfOutlined aria-hidden />}
        loading={print.isPending}
        onClick={() => { print.mutate(); }}
      >
        {t('insights.report.print')}
      </Button>
      {print.isSuccess && <p role="status" data-testid="insight-report-printed">{t('insights.report.printed')}</p>}
      {print.error !== null && <Alert className="form-alert" type="error" showIcon message={errorText(print.error)} />}
    </div>
  );
}
