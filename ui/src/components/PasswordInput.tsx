import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';
import type { FormItemProps, FormRule, InputProps } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

type PasswordInputProps = Omit<InputProps, 'type' | 'suffix'> & { 'data-testid'?: string };

/**
 * A password input whose show/hide control is a real button beside it: reachable with Tab,
 * named for screen readers, its state announced (aria-pressed), 44 x 44 like every control. antd's Input.Password draws the eye as
 * an icon with tabIndex -1, which a keyboard cannot reach (WCAG 2.1.1).
 */
export function PasswordInput(props: PasswordInputProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  return (
    <Space.Compact block>
      <Input {...props} type={shown ? 'text' : 'password'} />
      <Button
        className="password-toggle"
        aria-label={t(shown ? 'password.hide' : 'password.show')}
        aria-pressed={shown}
        data-testid={props['data-testid'] === undefined ? undefined : `${props['data-testid']}-toggle`}
        icon={shown ? <EyeOutlined aria-hidden /> : <EyeInvisibleOutlined aria-hidden />}
        onClick={() => {
          setShown((s) => !s);
        }}
      />
    </Space.Compact>
  );
}

interface PasswordFieldProps {
  name: string;
  label: string;
  testId?: string;
  autoComplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
  extra?: FormItemProps['extra'];
  /** Rules beyond "required", e.g. "matches the new password". */
  rules?: FormItemProps['rules'];
  dependencies?: FormItemProps['dependencies'];
}

/**
 * The one password field of every form that asks for one (set-up, sign-in, the lock screen,
 * the forced password change, staff administration): required, never trimmed, with the
 * keyboard-reachable show/hide button.
 */
export function PasswordField({ name, label, testId, autoComplete, autoFocus, extra, rules, dependencies }: PasswordFieldProps) {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={label}
      name={name}
      extra={extra}
      dependencies={dependencies}
      rules={[{ required: true, message: t('validation.required') }, ...(rules ?? [])]}
    >
      <PasswordInput data-testid={testId} autoComplete={autoComplete} autoFocus={autoFocus} />
    </Form.Item>
  );
}

/** "Type it again": the value must equal the field named `field`. */
export function sameAs(t: TFunction, field: string): FormRule {
  return ({ getFieldValue }) => ({
    validator: (_, value: unknown) =>
      value === getFieldValue(field) ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch'))),
  });
}
