import { ExclamationCircleOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import type { Wizard } from './useOnboarding';

/** A labelled form field with its note and error, both linked with aria-describedby. */
export function Field({
  id,
  label,
  note,
  error,
  children,
}: {
  id: string;
  label: string;
  note?: string;
  error?: string | null;
  children: (describedBy: string, invalid: boolean) => ReactNode;
}) {
  const describedBy = [note === undefined ? null : `${id}-note`, error ? `${id}-error` : null]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(describedBy, Boolean(error))}
      {note !== undefined && (
        <p id={`${id}-note`} className="field-note">
          {note}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>
          <ExclamationCircleOutlined aria-hidden /> {error}
        </p>
      )}
    </div>
  );
}

/** The error of the wizard's last `where` action (send, verify, screen, next, submit...), if any. */
export function ActionError({ w, where }: { w: Wizard; where: string }) {
  return w.actionError?.where === where ? (
    <Alert
      className="form-alert"
      type="error"
      showIcon
      role="alert"
      data-testid={`onb-${where}-error`}
      message={w.actionError.text}
    />
  ) : null;
}
