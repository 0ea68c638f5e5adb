import type { OperationDescriptor } from '../../connector-kit/descriptor.js';
import { projectFields, releasedFields } from '../../access/field-projection.js';
import type { OperationContext } from '../operation-context.js';
import { required, type Stage } from '../stage.js';

/** Only what the grant releases leaves the gateway; the rest of the (validated) answer is dropped here. */
export function projectionStage(operation: Pick<OperationDescriptor<any>, 'releasedFields'>): Stage<OperationContext> {
  return {
    name: 'projection',
    run(context) {
      const { data } = required(context.answer, 'the answer', 'projection');
      const granted = required(context.authorization, 'the grant', 'projection').grant.fields;
      const body = projectFields(data, granted);
      context.released = { body, fields: releasedFields(body, granted, () => operation.releasedFields(data)) };
    },
  };
}
