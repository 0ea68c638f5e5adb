/**
 * One named step of the request pipeline. A stage reads what the stages
 * before it put on the context and adds its own part, or throws: errors
 * stay typed (UpstreamError, BreakerOpenError, ProblemError...) and are
 * translated to a problem once, at the edge (operation-handler.ts).
 */
export interface Stage<Context> {
  readonly name: string;
  run(context: Context): void | Promise<void>;
}

/** Runs the stages in order; the context records which one was running when something was thrown. */
export async function runStages<Context extends { stage?: string }>(stages: ReadonlyArray<Stage<Context>>, context: Context): Promise<void> {
  for (const stage of stages) {
    context.stage = stage.name;
    await stage.run(context);
  }
  context.stage = undefined;
}

/** A value an earlier stage must have set: its absence is a wiring bug, never the caller's fault. */
export function required<T>(value: T | undefined, what: string, stage: string): T {
  if (value === undefined) throw new Error(`pipeline stage ${stage} ran before ${what} was set`);
  return value;
}
