import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import type { Area } from '../bindings/Area';

interface Props {
  area: Area;
  title: string;
  intro: string;
  children?: ReactNode;
}

/** Root of an area page: `page-<area>` test hook, the page's single <h1>, focused on arrival. */
export function PageFrame({ area, title, intro, children }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page" data-testid={`page-${area}`}>
      <h1 ref={heading} tabIndex={-1} className="page-title">
        {title}
      </h1>
      <p className="page-intro">{intro}</p>
      {children}
    </div>
  );
}
