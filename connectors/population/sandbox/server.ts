import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as soap from 'soap';
import {
  applyHttpFault,
  FaultController,
  handleFaultControlRequest,
} from '../../../src/sandbox-kit/fault-injection.js';
import { readRequestBody, sendJson } from '../../../src/sandbox-kit/http-helpers.js';
import { seededPeople } from '../../../src/sandbox-kit/people.js';
import { PlatformAuthority, sendPlatformRejection, type PlatformCredentials } from '../../../src/sandbox-kit/platform-auth.js';
import { fromProjectRoot } from '../../../src/paths.js';
import { lookUpCitizen, PopulationBusinessError, verifyCitizen } from './operations.js';
import { renderBusinessFault, renderCongdanCollection, renderVerification } from './responses.js';

/**
 * Simulator of the national population database (CSDL quốc gia về dân cư) as a
 * province reaches it through the national data-sharing platform: OAuth2
 * token endpoint + `lgspaccesstoken` in front of a document/literal SOAP
 * service, with fault injection for resilience tests. In-process only; the
 * gateway starts it in embedded mode and tests start it on port 0.
 */

export type PopulationSandboxCredentials = PlatformCredentials;

/** Development credentials; the same values as config/default.yaml, so embedded mode works without configuration. */
export const populationSandboxDevCredentials: Readonly<Required<PopulationSandboxCredentials>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-population-client-secret',
  accessKey: 'dev-only-access-key',
  secretKey: 'dev-only-secret-key',
  appName: 'LGSP-DEV',
  partnerCode: '000.00.00.H00',
  partnerCodeCus: '000.00.01.H00',
});

export interface PopulationSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Merged over the development credentials. */
  credentials?: Partial<PopulationSandboxCredentials>;
  tokenTtlSeconds?: number;
  /** Clock for token expiry (tests). */
  now?: () => number;
}

export interface PopulationSandbox {
  baseUrl: string;
  /** The SOAP endpoint; POST envelopes here. */
  endpointUrl: string;
  /** `{endpointUrl}?wsdl`. */
  wsdlUrl: string;
  /** `POST` client-credentials token requests here. */
  tokenUrl: string;
  faults: FaultController;
  close(): Promise<void>;
}

export const populationEndpointPath = '/dancuquocgia/1.0/DanCuQuocGiaService';
export const populationOperations = ['TraCuuThongTinCongDan', 'XacThucThongTinCongDan'] as const;

/** Where the WSDL lives: read from the sources even when running from dist/ (tsc does not copy it). */
export function populationWsdlPath(): string {
  return fromProjectRoot('connectors/population/population.wsdl');
}

const injectedSoapFault = Symbol('injectedSoapFault');
type SandboxRequest = IncomingMessage & { body?: Buffer; [injectedSoapFault]?: boolean };

/** The SOAP stack turns `{ Fault: { _xml } }` into a Fault envelope verbatim. */
function soapFault(error: PopulationBusinessError): { Fault: { _xml: string; statusCode: number } } {
  return { Fault: { _xml: renderBusinessFault(error), statusCode: 500 } };
}

function runOperation(operation: (args: Record<string, unknown>) => string) {
  return (args: Record<string, unknown>, _callback: unknown, _headers: unknown, request: SandboxRequest): { _xml: string } => {
    try {
      if (request[injectedSoapFault]) {
        throw new PopulationBusinessError('systemBusy', 'Server', typeof args?.MaYeuCau === 'string' ? args.MaYeuCau : undefined);
      }
      return { _xml: operation(args) };
    } catch (error) {
      if (error instanceof PopulationBusinessError) throw soapFault(error);
      throw error;
    }
  };
}

const services = {
  DanCuQuocGiaService: {
    DanCuQuocGiaPort: {
      TraCuuThongTinCongDan: runOperation((args) => renderCongdanCollection(lookUpCitizen(args))),
      XacThucThongTinCongDan: runOperation((args) => renderVerification(verifyCitizen(args))),
    },
  },
};

/** The operation a SOAP request is for: SOAPAction's last segment, else the first element in the Body. */
export function soapOperationOf(soapAction: string | string[] | undefined, body: string): string {
  const action = (Array.isArray(soapAction) ? soapAction[0] : soapAction)?.replace(/^"|"$/g, '');
  const fromAction = action?.split('/').pop();
  if (fromAction) return fromAction;
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(body)?.[1] ?? 'unknown';
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startPopulationSandbox(options: PopulationSandboxOptions = {}): Promise<PopulationSandbox> {
  const host = options.host ?? '127.0.0.1';
  const credentials: PopulationSandboxCredentials = { ...populationSandboxDevCredentials, ...options.credentials };
  const faults = new FaultController();
  const authority = new PlatformAuthority({
    credentials,
    ...(options.tokenTtlSeconds !== undefined && { tokenTtlSeconds: options.tokenTtlSeconds }),
    ...(options.now && { now: options.now }),
  });
  seededPeople(); // build the population now, not on the first call
  const wsdlTemplate = readFileSync(populationWsdlPath(), 'utf8');

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${formatHost(host)}:${port}`;
  const endpointUrl = `${baseUrl}${populationEndpointPath}`;
  const wsdlXml = wsdlTemplate.replace(/(<soap:address location=")[^"]*(")/, `$1${endpointUrl}$2`);

  // soap.listen installs its own 'request' listener once the WSDL is parsed;
  // we take it over so that auth and faults run in front of the SOAP stack.
  const soapListener = await new Promise<RequestListener>((resolve, reject) => {
    soap.listen(server, {
      path: populationEndpointPath,
      services,
      xml: wsdlXml,
      suppressStack: true,
      callback: (error: unknown) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const [listener] = server.listeners('request') as RequestListener[];
        if (!listener) {
          reject(new Error('soap.listen did not attach a request listener'));
          return;
        }
        resolve(listener);
      },
    });
  });
  server.removeAllListeners('request');

  async function handleSoapCall(request: SandboxRequest, response: ServerResponse): Promise<void> {
    const body = await readRequestBody(request);
    const operation = soapOperationOf(request.headers.soapaction, body.toString('utf8'));
    const check = authority.checkCall(request);
    if (!check.ok) {
      sendPlatformRejection(response, check);
      return;
    }
    const outcome = await applyHttpFault(faults.next(operation), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') {
      sendPlatformRejection(response, { ok: false, status: 401, reason: 'expired' });
      return;
    }
    if (outcome === 'soap-fault') request[injectedSoapFault] = true;
    request.body = body;
    soapListener.call(server, request, response);
  }

  async function handleTokenCall(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const outcome = await applyHttpFault(faults.next('token'), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'soap-fault' || outcome === 'expired-token') {
      sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      return;
    }
    await authority.handleTokenRequest(request, response);
  }

  async function route(request: SandboxRequest, response: ServerResponse): Promise<void> {
    if (await handleFaultControlRequest(faults, request, response)) return;
    const pathname = new URL(request.url ?? '/', baseUrl).pathname.replace(/\/$/, '');
    if (pathname === '/token') return handleTokenCall(request, response);
    if (pathname === populationEndpointPath) {
      // The WSDL is public, as on the platform's developer portal; data calls are not.
      if (request.method === 'POST') return handleSoapCall(request, response);
      soapListener.call(server, request, response);
      return;
    }
    sendJson(response, 404, { error: 'not_found' });
  }

  server.on('request', (request: SandboxRequest, response: ServerResponse) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: 'sandbox_error' });
      else response.destroy();
    });
  });

  return {
    baseUrl,
    endpointUrl,
    wsdlUrl: `${endpointUrl}?wsdl`,
    tokenUrl: `${baseUrl}/token`,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging exchanges and keep-alive sockets would otherwise hold close() forever.
        server.closeAllConnections();
      }),
  };
}
