import { ConnectorSlot } from '../../connector-runtime/connector-slot.js';
import { ProblemError } from '../../errors/index.js';
import { availableHandle, stageContext } from '../test-support/stage-context.js';
import { connectorAvailabilityStage } from './connector-availability.js';

describe('connector-availability stage', () => {
  it('lets calls through to an available connector', () => {
    expect(() => connectorAvailabilityStage(availableHandle('test', {})).run(stageContext())).not.toThrow();
  });

  it('answers 503 LGSP_CONNECTOR_DISABLED for a connector switched off', () => {
    const slot = new ConnectorSlot('test');
    slot.setAvailability({ kind: 'disabled' });
    expect(() => connectorAvailabilityStage(slot).run(stageContext())).toThrow(expect.objectContaining({ code: 'LGSP_CONNECTOR_DISABLED', status: 503 }));
  });

  it("answers 503 LGSP_CONNECTOR_MAINTENANCE with the administrator's message and Retry-After", () => {
    const slot = availableHandle('test', {});
    slot.setAvailability({ kind: 'maintenance', message: 'Cổng DVC quốc gia bảo trì đến 22:00', retryAfterSeconds: 1800 });
    let thrown: unknown;
    try {
      connectorAvailabilityStage(slot).run(stageContext());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    const problem = thrown as ProblemError;
    expect(problem.code).toBe('LGSP_CONNECTOR_MAINTENANCE');
    expect(problem.options.headers).toEqual({ 'Retry-After': '1800' });
    expect(problem.toProblem('r').detail).toBe('Cổng DVC quốc gia bảo trì đến 22:00');
  });
});
