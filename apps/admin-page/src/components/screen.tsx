import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface ScreenProps {
  title: string;
  /** Where the screen sits in Administration, as the product's menus name it. */
  trail: string[];
  children: ComponentChildren;
}

/**
 * One screen: the breadcrumb, then the heading, which takes focus when the screen opens so keyboard and screen-reader
 * users start from the top of the new content rather than from wherever the old one left them.
 */
export function Screen({ title, trail, children }: ScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Administration`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <ol>
          {trail.map((step) => (
            <li key={step}>{step}</li>
          ))}
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <h1 ref={heading} tabIndex={-1} class="screen-title">
        {title}
      </h1>
      {children}
    </>
  );
}
