import { requirePersonalDataHeaders } from '../personal-data-headers.js';
import type { OperationContext } from '../operation-context.js';
import type { Stage } from '../stage.js';

/** Personal-data operations only: which officer asks (X-End-User) and for which dossier or purpose (X-Purpose). */
export function personalDataHeadersStage(): Stage<OperationContext> {
  return {
    name: 'personal-data-headers',
    run(context) {
      context.personalData = requirePersonalDataHeaders(context.req);
    },
  };
}
