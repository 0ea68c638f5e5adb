import type { DossierLoad } from '../../bench/dossier-sync-driver.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';

/**
 * The portal sandbox's record per dossier of a load: created once, then
 * exactly the steps sent, in the order sent. What the replica tests mean by
 * "each outbox message delivered once, in order".
 */
export function expectDeliveredOnceInOrder(portal: PublicServicePortalSandbox, load: DossierLoad): void {
  for (const code of load.codes) {
    const kinds = portal.journal.filter((entry) => entry.dossierCode === code).map((entry) => entry.kind);
    expect({ code, kinds }).toEqual({ code, kinds: ['created', ...Array<string>(load.steps.get(code)!.length).fill('progress')] });
    expect({ code, steps: portal.dossiers.get(code)!.progress.map((step) => step.NoiDungXuLy) }).toEqual({ code, steps: load.steps.get(code) });
  }
}
