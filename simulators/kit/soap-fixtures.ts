import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeLgspAccessToken, type PlatformCredentials } from './platform-auth.js';
import type { SoapSandbox } from './soap-sandbox.js';
import { escapeXmlText } from './xml.js';

/**
 * Recording a SOAP sandbox's raw answers over real HTTP, for the fixtures
 * beside each connector's mapping (and for the drift test that re-records them
 * in memory). The files are exactly the HTTP bodies plus one final newline.
 */

/** Request fields in wire order; an object renders nested elements. */
export type SoapRequestFields = Record<string, string | Record<string, string>>;

export interface SoapFixtureCase {
  file: string;
  operation: string;
  /** What the fixture shows (the fixtures README describes every file; a test checks it is listed). */
  shows: string;
  fields: SoapRequestFields;
}

export interface RecordedFixture {
  /** HTTP status of the exchange (not part of the file: the files are the raw bodies). */
  status: number;
  body: string;
}

/** A request envelope as provincial clients write them by hand: one prefix for the service namespace. */
export function buildSoapRequestEnvelope(namespace: { prefix: string; uri: string }, operation: string, fields: SoapRequestFields): string {
  const element = (name: string, inner: string) => `<${namespace.prefix}:${name}>${inner}</${namespace.prefix}:${name}>`;
  const lines = Object.entries(fields).map(([name, value]) => {
    if (typeof value === 'string') return `      ${element(name, escapeXmlText(value))}`;
    return `      ${element(name, Object.entries(value).map(([child, text]) => element(child, escapeXmlText(text))).join(''))}`;
  });
  return [
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:${namespace.prefix}="${namespace.uri}">`,
    '  <soapenv:Header/>',
    '  <soapenv:Body>',
    `    <${namespace.prefix}:${operation}>`,
    ...lines,
    `    </${namespace.prefix}:${operation}>`,
    '  </soapenv:Body>',
    '</soapenv:Envelope>',
  ].join('\n');
}

/** A client-credentials token from a sandbox's platform token endpoint. */
export async function fetchPlatformToken(tokenUrl: string, credentials: Pick<PlatformCredentials, 'clientId' | 'clientSecret'>): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`sandbox token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Plays every case against a running sandbox, authenticated as the platform wants, and returns file → raw answer. */
export async function recordSoapExchanges(
  sandbox: SoapSandbox,
  options: { credentials: PlatformCredentials; namespace: { prefix: string; uri: string }; cases: readonly SoapFixtureCase[] },
): Promise<Map<string, RecordedFixture>> {
  const token = await fetchPlatformToken(sandbox.tokenUrl, options.credentials);
  const recorded = new Map<string, RecordedFixture>();
  for (const fixture of options.cases) {
    const response = await fetch(sandbox.endpointUrl, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: `"${options.namespace.uri}/${fixture.operation}"`,
        authorization: `Bearer ${token}`,
        lgspaccesstoken: encodeLgspAccessToken(options.credentials),
      },
      body: buildSoapRequestEnvelope(options.namespace, fixture.operation, fixture.fields),
    });
    // A final newline keeps the files friendly to editors and diffs; it is the only byte added.
    recorded.set(fixture.file, { status: response.status, body: `${await response.text()}\n` });
  }
  return recorded;
}

/** Writes recorded fixtures into their folder, warning about files no case records any more. */
export function writeRecordedFixtures(directory: string, recorded: Map<string, RecordedFixture>, log: (line: string) => void): void {
  // XML envelopes (SOAP upstreams) and JSON bodies (REST upstreams) alike.
  for (const stale of readdirSync(directory).filter((file) => /\.(xml|json)$/.test(file) && !recorded.has(file))) {
    log(`warning: ${stale} is no longer recorded; delete it if it is obsolete`);
  }
  for (const [file, { body }] of recorded) writeFileSync(path.join(directory, file), body);
  log(`recorded ${recorded.size} fixtures into ${directory}`);
}
