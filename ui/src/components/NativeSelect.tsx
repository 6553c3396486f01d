import type { SelectHTMLAttributes } from 'react';

export interface SelectOption {
  value: string;
  label: string;
}

interface Props extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  options: SelectOption[];
  /** Text of the empty choice ("" value), e.g. "All actions". */
  placeholder: string;
  value?: string | null;
  onChange?: (value: string) => void;
}

/**
 * A native <select> styled like antd's inputs. antd's Select puts ARIA attributes on elements
 * whose role does not allow them (axe aria-allowed-attr); the native control is accessible in
 * every engine, WebKitGTK included. Works inside antd Form.Item (value/onChange/id).
 */
export function NativeSelect({ options, placeholder, value, onChange, className, ...rest }: Props) {
  return (
    <select
      {...rest}
      className={className === undefined ? 'native-select' : `native-select ${className}`}
      value={value ?? ''}
      onChange={(e) => {
        onChange?.(e.target.value);
      }}
    >
      <option value="">{placeholder}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
