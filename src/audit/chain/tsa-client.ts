import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TimestampRequester } from './checkpoints.js';

/**
 * RFC 3161 time-stamping of checkpoints: a token from an independent TSA
 * proves the signed statement existed at its time, so even whoever holds
 * the gateway's signing key cannot back-date a rewritten trail.
 */

const sha256Oid = '2.16.840.1.101.3.4.2.1';
const signedDataOid = '1.2.840.113549.1.7.2';

export function createTimestampRequester(options: { url: string; timeoutMs: number }): TimestampRequester {
  return async (statement) => {
    const digest = createHash('sha256').update(statement).digest();
    const nonce = randomBytes(8);
    nonce[0] = nonce[0]! & 0x7f; // a positive INTEGER
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: sha256Oid }),
        hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(digest) }),
      }),
      nonce: new asn1js.Integer({ valueHex: new Uint8Array(nonce) }),
      certReq: true,
    });
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(request.toSchema().toBER(false)),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) throw new Error(`the time-stamping authority answered HTTP ${response.status}`);
    const reply = pkijs.TimeStampResp.fromBER(await response.arrayBuffer());
    // 0 granted, 1 granted with modifications; anything else is a refusal.
    if (reply.status.status !== 0 && reply.status.status !== 1) throw new Error(`the time-stamping authority refused the request (status ${reply.status.status})`);
    if (!reply.timeStampToken) throw new Error('the time-stamping authority granted no token');
    const token = Buffer.from(reply.timeStampToken.toSchema().toBER(false));
    const info = tstInfoOf(token);
    if (!info.nonce || integerOf(info.nonce.valueBlock.valueHexView) !== integerOf(nonce)) {
      throw new Error('the time-stamping authority answered another request (nonce differs)');
    }
    if (!(await timestampTokenMatches(token, statement))) throw new Error('the time-stamping token is not over the checkpoint');
    return { url: options.url, token };
  };
}

/** Big-endian unsigned bytes as a number, so leading zero bytes (DER minimal encoding) do not matter. */
function integerOf(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}

function signedDataOf(token: Buffer): pkijs.SignedData {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(token));
  if (contentInfo.contentType !== signedDataOid) throw new Error('not a CMS SignedData');
  return new pkijs.SignedData({ schema: contentInfo.content });
}

function tstInfoOf(token: Buffer): pkijs.TSTInfo {
  const eContent = signedDataOf(token).encapContentInfo.eContent;
  if (!eContent) throw new Error('the token carries no TSTInfo');
  return pkijs.TSTInfo.fromBER(eContent.getValue());
}

/**
 * The token's message imprint is SHA-256 of exactly this statement, and the
 * token's CMS signature verifies with the certificate it carries. (Whether
 * that certificate belongs to a TSA you trust is for the auditor to judge:
 * the token holds it.)
 */
export async function timestampTokenMatches(token: Buffer, statement: Buffer): Promise<boolean> {
  try {
    const info = tstInfoOf(token);
    if (info.messageImprint.hashAlgorithm.algorithmId !== sha256Oid) return false;
    if (!Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(createHash('sha256').update(statement).digest())) return false;
    // pkijs checks the imprint against `data` again and the signature with the token's own certificate.
    return await signedDataOf(token).verify({ signer: 0, checkChain: false, data: new Uint8Array(statement).buffer });
  } catch {
    return false;
  }
}
