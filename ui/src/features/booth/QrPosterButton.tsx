import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { useSessionState } from '../../shell/session';
import { download } from '../complaints/shared';

/**
 * Prints the booth's QR poster and table card. The core signs the link and decides who may
 * print whose code (booth staff: their own; a supervisor: anyone on the roster); this only
 * offers the roster to a supervisor and saves the PDF.
 */
export function QrPosterButton({ campaign, booth, roster }: { campaign: string; booth: string; roster: string[] }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const session = useSessionState().data;
  const me = session === undefined || session.state === 'signed_out' ? null : session.session;
  const supervisor = me?.role === 'supervisor';
  const [staff, setStaff] = useState(supervisor ? (roster[0] ?? '') : (me?.username ?? ''));
  const poster = useMutation({
    mutationFn: () => backend.boothQrPoster({ campaign, booth, staff }),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, new Uint8Array(file.bytes));
    },
  });
  return (
    <Space direction="vertical" size="small" className="booth-qr">
      <Space wrap>
        {supervisor && (
          <label>
            {t('booth.qr.staff')}{' '}
            <NativeSelect
              data-testid="booth-qr-staff"
              placeholder={t('booth.qr.chooseStaff')}
              value={staff}
              onChange={setStaff}
              options={roster.map((u) => ({ value: u, label: u }))}
            />
          </label>
        )}
        <Button
          data-testid="booth-qr-print"
          loading={poster.isPending}
          onClick={() => {
            poster.mutate();
          }}
        >
          {t('booth.qr.print')}
        </Button>
      </Space>
      <p className="field-note">{t('booth.qr.note')}</p>
      {poster.isError && <Alert type="error" showIcon role="alert" data-testid="booth-qr-error" message={errorText(poster.error)} />}
      {poster.isSuccess && (
        <p role="status" data-testid="booth-qr-done">
          {t('booth.qr.saved', { name: poster.data.fileName })}
        </p>
      )}
    </Space>
  );
}
