import { parseArgs } from 'node:util';

/**
 * Runs a sandbox as its own process (`--port`, `--host`, `--token-ttl`), prints
 * where it listens, and stops on SIGINT/SIGTERM. Faults can then be switched
 * from another process through POST/DELETE {baseUrl}/__sandbox/faults.
 */
export async function runStandaloneSandbox<Sandbox extends { baseUrl: string; close(): Promise<void> }>(options: {
  title: string;
  defaultPort: number;
  start(settings: { host: string; port: number; tokenTtlSeconds?: number }): Promise<Sandbox>;
  /** Lines describing the sandbox's addresses, printed under the title. */
  describe(sandbox: Sandbox): string[];
}): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(options.defaultPort) },
      'token-ttl': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const tokenTtl = values['token-ttl'] === undefined ? undefined : Number(values['token-ttl']);
  const sandbox = await options.start({ host: values.host ?? '127.0.0.1', port, ...(tokenTtl !== undefined && { tokenTtlSeconds: tokenTtl }) });
  process.stdout.write([`${options.title} listening`, ...options.describe(sandbox).map((line) => `  ${line}`), ''].join('\n'));
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
