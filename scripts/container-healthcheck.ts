import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * node dist/scripts/container-healthcheck.js
 *
 * The container image's HEALTHCHECK, in exec form (the image needs no shell
 * and has no curl): GET /healthz of this container's gateway; exit 0 when it
 * answers 200, 1 otherwise (refused, timed out, any other status).
 *
 * Where: LGSP_HEALTHCHECK_URL when set (e.g. http://127.0.0.1:8080/healthz),
 * else http://127.0.0.1:<server.port>/healthz, the port read as the gateway
 * reads it (LGSP__SERVER__PORT, else server.port in the LGSP_CONFIG file, else
 * 8080). Only those keys are read, not the whole configuration validated: a
 * check that runs every 30 s stays cheap, and a bad configuration is the
 * gateway's start to report, not the health check's.
 */
const timeoutMs = 4_000;

function healthUrl(env: NodeJS.ProcessEnv): URL {
  if (env.LGSP_HEALTHCHECK_URL) return new URL(env.LGSP_HEALTHCHECK_URL);
  const server = configuredServer(env.LGSP_CONFIG);
  const port = Number(env.LGSP__SERVER__PORT ?? server.port ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`server.port ${String(env.LGSP__SERVER__PORT ?? server.port)} cannot be checked: set LGSP_HEALTHCHECK_URL`);
  }
  return new URL(`http://${callableHost(env.LGSP__SERVER__HOST ?? server.host)}:${port}/healthz`);
}

function configuredServer(file: string | undefined): { port?: unknown; host?: unknown } {
  if (!file) return {};
  const document = parseYaml(readFileSync(file, 'utf8')) as { server?: { port?: unknown; host?: unknown } } | null;
  return document?.server ?? {};
}

/** A wildcard is an address to listen on, not one to call: the check calls loopback then. */
function callableHost(host: unknown): string {
  if (typeof host !== 'string' || host === '' || host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function main(): Promise<number> {
  let url: URL;
  try {
    url = healthUrl(process.env);
  } catch (error) {
    process.stdout.write(`unhealthy: ${(error as Error).message}\n`);
    return 1;
  }
  // Never print credentials a URL might carry.
  const shown = `${url.origin}${url.pathname}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    process.stdout.write(`${response.status === 200 ? 'healthy' : 'unhealthy'}: ${shown} answered ${response.status}\n`);
    return response.status === 200 ? 0 : 1;
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    process.stdout.write(`unhealthy: ${shown}: ${reason}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
