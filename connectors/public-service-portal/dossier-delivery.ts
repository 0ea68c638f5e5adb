import { type DeliveryMessage, type InvocationContext, UpstreamError } from '../../src/connector-kit/index.js';
import type { Dossier, DossierProgress } from '../../contracts/types.generated.js';
import { portalItems, type PublicServicePortalClient } from './client.js';
import { catalogFactsFromThuTuc, dossierToPortal, progressToPortal, type CatalogFacts } from './dossier-mapping.js';

/** The outbox target of dossier sync: one ordering key per dossier code. */
export const dossierSyncTarget = 'public-service-portal.dossier';

/** What the gateway stores for each accepted write, and delivers later. */
export type DossierSyncMessage = { kind: 'dossier'; dossier: Dossier } | { kind: 'progress'; dossierCode: string; step: DossierProgress };

/**
 * Delivers one accepted message so that a second delivery is harmless (the
 * outbox delivers at least once):
 *   a dossier version: TraCuuHoSo, then DongBoHoSoMC as a create when the
 *   portal does not hold it, as an update when it does; "already exists"
 *   (the portal stored an earlier attempt whose answer was lost) becomes an
 *   update, so no duplicate dossier appears;
 *   a processing step: CapNhatTienDoHoSoMC. The outbox delivers a dossier's
 *   messages in order, so its first version is on the portal before any step.
 * A refusal of the message itself (UpstreamError `rejected`) can never
 * succeed: the outbox marks it dead. Everything else is retried.
 */
export async function deliverDossierMessage(client: PublicServicePortalClient, message: DeliveryMessage, context: InvocationContext): Promise<{ answer: string }> {
  const payload = message.payload as DossierSyncMessage;
  if (payload.kind === 'progress') {
    await client.pushProgress(progressToPortal(payload.dossierCode, payload.step), context);
    return { answer: 'accepted' };
  }
  const { dossier } = payload;
  const item = dossierToPortal(dossier, await catalogFacts(client, dossier, context));
  const held = await client.lookUpDossier(dossier.dossierCode, context);
  let result = await client.syncDossier(item, { isUpdating: held.kind === 'found' }, context);
  if (result.kind === 'already-exists') result = await client.syncDossier(item, { isUpdating: true }, context);
  if (result.kind === 'already-exists') throw new UpstreamError('fault', 'the portal answered "already exists" to an update');
  return { answer: result.kind };
}

/** TenTTHC and the field from the national catalog, only when the one-stop system did not send them. */
async function catalogFacts(client: PublicServicePortalClient, dossier: Dossier, context: InvocationContext): Promise<CatalogFacts> {
  if (dossier.procedureName !== undefined && dossier.field !== undefined) return {};
  const [procedure] = portalItems(await client.procedure(dossier.procedureCode, context)).items;
  return procedure ? catalogFactsFromThuTuc(procedure) : {};
}
