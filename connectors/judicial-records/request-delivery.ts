import { UpstreamError, upstreamText, type DeliveryMessage, type InvocationContext } from '../../src/connector-kit/index.js';
import type { JudicialRecordCertificateRequest } from '../../contracts/types.generated.js';
import type { JudicialRecordsClient } from './client.js';
import { requestToUpstream } from './mapping.js';

/** The outbox target of certificate requests: one ordering key per dossier code. */
export const certificateRequestTarget = 'judicial-records.certificate-request';

/** What the gateway stores for each accepted request, and delivers later. */
export interface CertificateRequestMessage {
  request: JudicialRecordCertificateRequest;
}

/**
 * Delivers one accepted request so that a second delivery is harmless (the
 * outbox delivers at least once): traCuuHoSoLLTP first, and tiepNhanHoSoLLTP
 * only when the system does not hold the dossier. A request lodged once is
 * never lodged again: the system takes no amendment of a lodged request
 * (a public client treats its "already received, cannot update" as done),
 * so a later version for the same dossier code is delivered as
 * `already-held`, and "already received" answering the create (an earlier
 * attempt stored, its answer lost) is the same. A dossier code the system
 * holds for another person can never be delivered: `rejected`, the message
 * goes dead for an operator. Everything else is retried.
 */
export async function deliverCertificateRequest(client: JudicialRecordsClient, message: DeliveryMessage, context: InvocationContext): Promise<{ answer: string }> {
  const { request } = message.payload as CertificateRequestMessage;
  const held = await client.lookUp(request.dossierCode, context);
  if (held.kind === 'found') {
    if (upstreamText(held.record.nycSoGiayTo) !== request.applicant.personalId) {
      throw new UpstreamError('rejected', 'the judicial records system holds this dossier code for another applicant');
    }
    return { answer: 'already-held' };
  }
  const outcome = await client.submit(requestToUpstream(request, client.province), context);
  return { answer: outcome.kind };
}
