import { readFileSync } from 'node:fs';
import path from 'node:path';
import soap from 'soap';

export interface SoapFixtureReader {
  /** The parsed soap:Body of a recorded answer, as the connector's SOAP client would see it. */
  body(file: string): Record<string, unknown>;
  /** The parsed soap:Fault of a recorded fault answer (throws when the file holds none). */
  fault(file: string): { faultcode?: string; faultstring?: string; detail?: unknown };
}

/**
 * Reads a connector's recorded SOAP fixtures with the same SOAP stack and the
 * same WSDL its client uses, so mapping tests see exactly what production
 * code sees.
 */
export async function soapFixtureReader(wsdlPath: string, fixturesDirectory: string): Promise<SoapFixtureReader> {
  const client = await soap.createClientAsync(wsdlPath);
  const wsdl = (client as unknown as { wsdl: { xmlToObject(xml: string): { Body: Record<string, unknown> } } }).wsdl;
  const read = (file: string) => readFileSync(path.join(fixturesDirectory, file), 'utf8');
  return {
    body: (file) => wsdl.xmlToObject(read(file)).Body,
    fault(file) {
      try {
        wsdl.xmlToObject(read(file));
      } catch (error) {
        const fault = (error as { root?: { Envelope?: { Body?: { Fault?: ReturnType<SoapFixtureReader['fault']> } } } }).root?.Envelope?.Body?.Fault;
        if (fault) return fault;
        throw error;
      }
      throw new Error(`${file} holds no fault`);
    },
  };
}
