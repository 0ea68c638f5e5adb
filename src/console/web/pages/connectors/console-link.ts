import { h, type Child } from '../../dom.js';
import type { ConnectorsPageContext } from './page-context.js';

/** A link that stays inside the console (no reload), and still opens a new tab with Ctrl or a middle click. */
export function consoleLink(context: Pick<ConnectorsPageContext, 'navigate'>, path: string, ...children: Child[]): HTMLAnchorElement {
  return h(
    'a',
    {
      href: path,
      onclick: (event: MouseEvent) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        context.navigate(path);
      },
    },
    ...children,
  );
}
