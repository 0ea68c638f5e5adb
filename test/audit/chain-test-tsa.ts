import { webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * A minimal RFC 3161 time-stamping authority for tests: a self-signed
 * ECDSA P-256 certificate (extended key usage timeStamping) generated here,
 * answering application/timestamp-query with a signed TSTInfo over the
 * requested imprint and nonce.
 */
export interface TestTsa {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export async function startTestTsa(): Promise<TestTsa> {
  const { privateKey, publicKey } = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const name = () => {
    const rdn = new pkijs.RelativeDistinguishedNames();
    rdn.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'LGSP test TSA' }) }));
    return rdn;
  };
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ value: 1 });
  certificate.issuer = name();
  certificate.subject = name();
  certificate.notBefore.value = new Date(Date.now() - 3_600_000);
  certificate.notAfter.value = new Date(Date.now() + 86_400_000);
  const extKeyUsage = new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.8'] });
  certificate.extensions = [new pkijs.Extension({ extnID: '2.5.29.37', critical: true, extnValue: extKeyUsage.toSchema().toBER(false), parsedValue: extKeyUsage })];
  await certificate.subjectPublicKeyInfo.importKey(publicKey as Parameters<pkijs.Certificate["sign"]>[0]);
  await certificate.sign(privateKey as Parameters<pkijs.Certificate["sign"]>[0], 'SHA-256');

  let serial = 1;
  const tsa: TestTsa = { url: '', requests: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        tsa.requests += 1;
        const query = pkijs.TimeStampReq.fromBER(new Uint8Array(Buffer.concat(chunks)));
        const info = new pkijs.TSTInfo({
          version: 1,
          policy: '1.3.6.1.4.1.99999.1',
          messageImprint: query.messageImprint,
          serialNumber: new asn1js.Integer({ value: serial++ }),
          genTime: new Date(),
          ...(query.nonce ? { nonce: query.nonce } : {}),
        });
        const signed = new pkijs.SignedData({
          version: 3,
          encapContentInfo: new pkijs.EncapsulatedContentInfo({
            eContentType: '1.2.840.113549.1.9.16.1.4',
            eContent: new asn1js.OctetString({ valueHex: info.toSchema().toBER(false) }),
          }),
          signerInfos: [new pkijs.SignerInfo({ version: 1, sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }) })],
          certificates: [certificate],
        });
        await signed.sign(privateKey as Parameters<pkijs.Certificate["sign"]>[0], 0, 'SHA-256');
        const reply = new pkijs.TimeStampResp({
          status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
          timeStampToken: new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema(true) }),
        });
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        res.end(Buffer.from(reply.toSchema().toBER(false)));
      })().catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsr`;
  tsa.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return tsa;
}
