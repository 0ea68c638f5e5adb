import { parseArgs } from 'node:util';
import { startPopulationSandbox } from './server.js';

/**
 * Runs the population sandbox on its own:
 *   node dist/connectors/population/sandbox/main.js --port 8201 [--host 127.0.0.1]
 * Faults can then be switched from another process through POST/DELETE
 * {baseUrl}/__sandbox/faults.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8201' },
      'token-ttl': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const tokenTtl = values['token-ttl'] === undefined ? undefined : Number(values['token-ttl']);
  const sandbox = await startPopulationSandbox({
    host: values.host,
    port,
    ...(tokenTtl !== undefined && { tokenTtlSeconds: tokenTtl }),
  });
  process.stdout.write(
    [
      'Population sandbox (CSDL quốc gia về dân cư) listening',
      `  base URL:  ${sandbox.baseUrl}`,
      `  token:     POST ${sandbox.tokenUrl}  (grant_type=client_credentials, HTTP Basic)`,
      `  endpoint:  POST ${sandbox.endpointUrl}`,
      `  WSDL:      ${sandbox.wsdlUrl}`,
      `  faults:    POST/DELETE ${sandbox.baseUrl}/__sandbox/faults`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`population sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
