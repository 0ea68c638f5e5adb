import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as soap from 'soap';
import type { IServices } from 'soap';
import { applyHttpFault, FaultController, handleFaultControlRequest } from './fault-injection.js';
import { readRequestBody, sendJson } from './http-helpers.js';
import { PlatformAuthority, sendPlatformRejection, type PlatformCredentials } from './platform-auth.js';
import { escapeXmlText, renderXmlElement, type XmlFields } from './xml.js';
import { httpOrigin } from '../../src/util/http-url.js';

/**
 * A national SOAP service as a province reaches it through the data-sharing
 * platform: OAuth2 token endpoint + `lgspaccesstoken` in front of a
 * document/literal SOAP service with a public WSDL, plus the fault switches
 * every sandbox shares. A connector's sandbox brings only what is its own:
 * the WSDL, what each operation answers, and its business faults.
 */

/** A request the service refuses: answered as an HTTP 500 SOAP 1.1 Fault. */
export class SandboxSoapFault extends Error {
  constructor(
    /** Client: the request is wrong; Server: the service failed. */
    readonly side: 'Client' | 'Server',
    message: string,
    /** The fault's `<detail>` content, already XML (the business error element). */
    readonly detailXml: string,
  ) {
    super(message);
  }
}

/**
 * A business fault as national services write them: the side, the message, and
 * one detail element (e.g. `LoiNghiepVu{MaLoi, MoTaLoi, MaYeuCau}`) in the
 * service's namespace.
 */
export function businessSoapFault(
  side: 'Client' | 'Server',
  message: string,
  detail: { element: string; fields: XmlFields; namespace: { prefix: string; uri: string } },
): SandboxSoapFault {
  const { prefix, uri } = detail.namespace;
  return new SandboxSoapFault(side, message, renderXmlElement(detail.element, detail.fields, { prefix, rootAttributes: { [`xmlns:${prefix}`]: uri }, level: 2 }));
}

/** An operation's handler: the parsed arguments in, the response body's XML out (or a SandboxSoapFault). */
export type SoapOperationHandler = (args: Record<string, unknown>) => string;

export interface SoapSandboxDefinition {
  wsdlPath: string;
  endpointPath: string;
  /** wsdl:service and wsdl:port names, as the WSDL spells them. */
  serviceName: string;
  portName: string;
  operations: Record<string, SoapOperationHandler>;
  /** What the service answers when the `soap-fault` fault is switched on (its "system busy"). */
  injectedFault(args: Record<string, unknown>): SandboxSoapFault;
}

export interface SoapSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  credentials: PlatformCredentials;
  tokenTtlSeconds?: number;
  /** Clock for token expiry (tests). */
  now?: () => number;
}

export interface SoapSandbox {
  baseUrl: string;
  /** The SOAP endpoint; POST envelopes here. */
  endpointUrl: string;
  /** `{endpointUrl}?wsdl`. */
  wsdlUrl: string;
  /** `POST` client-credentials token requests here. */
  tokenUrl: string;
  faults: FaultController;
  /** The platform token issuer in front of the service (tests make it forget its tokens). */
  authority: Pick<PlatformAuthority, 'revokeAll'>;
  close(): Promise<void>;
}

/** The operation a SOAP request is for: SOAPAction's last segment, else the first element in the Body. */
export function soapOperationOf(soapAction: string | string[] | undefined, body: string): string {
  const action = (Array.isArray(soapAction) ? soapAction[0] : soapAction)?.replace(/^"|"$/g, '');
  const fromAction = action?.split('/').pop();
  if (fromAction) return fromAction;
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(body)?.[1] ?? 'unknown';
}

/** Element text from the SOAP stack's parsed arguments; undefined when the element is missing or empty. */
export function soapArgumentText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '$value' in value) return soapArgumentText((value as { $value: unknown }).$value);
  return undefined;
}

/** A SOAP 1.1 Fault body; the envelope prefix is the SOAP stack's (`soap`). */
export function renderSoapFault(fault: SandboxSoapFault): string {
  return [
    '',
    '<soap:Fault>',
    `  <faultcode>soap:${fault.side}</faultcode>`,
    `  <faultstring>${escapeXmlText(fault.message)}</faultstring>`,
    '  <detail>',
    fault.detailXml,
    '  </detail>',
    '</soap:Fault>',
    '',
  ].join('\n');
}

const injectedSoapFault = Symbol('injectedSoapFault');
type SandboxRequest = IncomingMessage & { body?: Buffer; [injectedSoapFault]?: boolean };

function soapServices(definition: SoapSandboxDefinition): IServices {
  const handlers = Object.fromEntries(
    Object.entries(definition.operations).map(([name, handle]) => [
      name,
      (args: Record<string, unknown>, _callback: unknown, _headers: unknown, request: SandboxRequest): { _xml: string } => {
        try {
          if (request[injectedSoapFault]) throw definition.injectedFault(args ?? {});
          return { _xml: handle(args ?? {}) };
        } catch (error) {
          // The SOAP stack turns `{ Fault: { _xml } }` into a Fault envelope verbatim.
          if (error instanceof SandboxSoapFault) throw { Fault: { _xml: renderSoapFault(error), statusCode: 500 } };
          throw error;
        }
      },
    ]),
  );
  return { [definition.serviceName]: { [definition.portName]: handlers } } as IServices;
}


export async function startSoapSandbox(definition: SoapSandboxDefinition, options: SoapSandboxOptions): Promise<SoapSandbox> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultController();
  const authority = new PlatformAuthority({
    credentials: options.credentials,
    ...(options.tokenTtlSeconds !== undefined && { tokenTtlSeconds: options.tokenTtlSeconds }),
    ...(options.now && { now: options.now }),
  });
  const wsdlTemplate = readFileSync(definition.wsdlPath, 'utf8');

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = httpOrigin(host, port);
  const endpointUrl = `${baseUrl}${definition.endpointPath}`;
  const wsdlXml = wsdlTemplate.replace(/(<soap:address location=")[^"]*(")/, `$1${endpointUrl}$2`);

  // soap.listen installs its own 'request' listener once the WSDL is parsed;
  // we take it over so that auth and faults run in front of the SOAP stack.
  const soapListener = await new Promise<RequestListener>((resolve, reject) => {
    soap.listen(server, {
      path: definition.endpointPath,
      services: soapServices(definition),
      xml: wsdlXml,
      suppressStack: true,
      callback: (error: unknown) => {
        const [listener] = server.listeners('request') as RequestListener[];
        if (error || !listener) reject(error instanceof Error ? error : new Error(String(error ?? 'soap.listen attached no request listener')));
        else resolve(listener);
      },
    });
  }).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  server.removeAllListeners('request');

  async function handleSoapCall(request: SandboxRequest, response: ServerResponse): Promise<void> {
    const body = await readRequestBody(request);
    const operation = soapOperationOf(request.headers.soapaction, body.toString('utf8'));
    const check = authority.checkCall(request);
    if (!check.ok) return sendPlatformRejection(response, check);
    const outcome = await applyHttpFault(faults.next(operation), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') return sendPlatformRejection(response, { ok: false, status: 401, reason: 'expired' });
    if (outcome === 'soap-fault') request[injectedSoapFault] = true;
    request.body = body;
    soapListener.call(server, request, response);
  }

  async function handleTokenCall(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const outcome = await applyHttpFault(faults.next('token'), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'soap-fault' || outcome === 'expired-token') {
      return sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    await authority.handleTokenRequest(request, response);
  }

  async function route(request: SandboxRequest, response: ServerResponse): Promise<void> {
    if (await handleFaultControlRequest(faults, request, response)) return;
    const pathname = new URL(request.url ?? '/', baseUrl).pathname.replace(/\/$/, '');
    if (pathname === '/token') return handleTokenCall(request, response);
    if (pathname === definition.endpointPath) {
      // The WSDL is public, as on the platform's developer portal; data calls are not.
      if (request.method === 'POST') return handleSoapCall(request, response);
      return void soapListener.call(server, request, response);
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
    authority,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging exchanges and keep-alive sockets would otherwise hold close() forever.
        server.closeAllConnections();
      }),
  };
}
