import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'inputMode' | 'maxLength' | 'onChange'> & {
  value: string;
  onChange: (pin: string) => void;
  /** `off` to sign in or unlock, `new-password` to set one, `current-password` to confirm one. */
  autoComplete: 'off' | 'new-password' | 'current-password';
};

/** An operator's PIN field: hidden, the numeric keypad on touch screens, 8 digits at most. */
export function PinInput({ onChange, ...rest }: Props) {
  return (
    <input
      {...rest}
      type="password"
      inputMode="numeric"
      maxLength={8}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
