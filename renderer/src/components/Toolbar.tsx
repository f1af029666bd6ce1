import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

/**
 * A toolbar with one Tab stop (WAI-ARIA APG "Toolbar"): Tab enters at the last used control, the
 * arrow keys, Home and End move among the enabled controls. The roving `tabindex` is set on the
 * DOM after each render so the buttons inside stay plain `<button>`s.
 */
export function Toolbar({
  label,
  children,
  className,
}: {
  label: string;
  children: ReactNode;
  className?: string;
}) {
  const root = useRef<HTMLDivElement>(null);
  const current = useRef(0);

  const items = (): HTMLElement[] =>
    root.current === null
      ? []
      : [...root.current.querySelectorAll<HTMLElement>('button, select, input')].filter(
          (el) => !(el as HTMLButtonElement).disabled,
        );
  const roving = (): void => {
    const all = items();
    if (all.length === 0) return;
    const index = Math.min(current.current, all.length - 1);
    all.forEach((el, k) => el.setAttribute('tabindex', k === index ? '0' : '-1'));
  };
  // after every render: a control may have been enabled or disabled
  useLayoutEffect(roving);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (at < 0 || (e.target as HTMLElement).tagName === 'SELECT') return;
    const step: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let next = at;
    if (e.key in step) next = (at + step[e.key]! + all.length) % all.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = all.length - 1;
    else return;
    e.preventDefault();
    current.current = next;
    roving();
    all[next]?.focus();
  };
  return (
    <div
      ref={root}
      role="toolbar"
      aria-label={label}
      className={className === undefined ? 'toolbar' : `toolbar ${className}`}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const at = items().indexOf(e.target);
        if (at >= 0) current.current = at;
        roving();
      }}
    >
      {children}
    </div>
  );
}
