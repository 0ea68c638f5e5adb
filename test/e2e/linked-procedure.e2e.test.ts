import { readFileSync } from 'node:fs';
import request from 'supertest';
import { seededCivilStatus } from '../../connectors/civil-status/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { fromProjectRoot } from '../../src/paths.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// Issue 19's linked-procedure example, exactly as README.md's section shows it:
// the one-stop system checks a birth registration (civil status), verifies the
// parents with the population database, and syncs the dossier to the portal.
// The values come from the seed, and the README must show these same values.
const birth = seededCivilStatus().wellKnown.linkedProcedureBirth;
const dossierCode = '000.00.01.H22-250801-0007';
const readmeSection = (() => {
  const readme = readFileSync(fromProjectRoot('README.md'), 'utf8');
  const start = readme.indexOf('## Linked procedure:');
  return start < 0 ? '' : readme.slice(start, readme.indexOf('\n## ', start + 3));
})();

describe('linked procedure (README): birth registration → parents verified → dossier synced to the portal', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({ store: 'pglite' });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('the README section shows the seeded values this test uses', () => {
    expect(readmeSection).not.toBe('');
    for (const value of [birth.authorityCode, birth.book, birth.number, birth.motherId, birth.fatherId, birth.childId, dossierCode]) expect(readmeSection).toContain(value);
  });

  it('runs the three calls and each answers as the README says', async () => {
    const headers = { ...personalDataHeaders(token), 'x-purpose': dossierCode };

    // 1. The birth registration, by the key printed on the extract the parent brought.
    const registration = await request(harness.url).get('/api/v1/civil-status/births').query({ authorityCode: birth.authorityCode, book: birth.book, number: birth.number }).set(headers);
    expect(registration.status).toBe(200);
    const { child, mother, father } = registration.body as { child: { personalId: string; fullName: string }; mother: { personalId: string; fullName: string; birthDate: string }; father: { personalId: string; fullName: string; birthDate: string } };
    expect([child.personalId, mother.personalId, father.personalId]).toEqual([birth.childId, birth.motherId, birth.fatherId]);
    for (const name of [child.fullName, mother.fullName, father.fullName]) expect(readmeSection).toContain(name);

    // 2. Each parent, as the register names them, against the population database.
    for (const parent of [mother, father]) {
      const verified = await request(harness.url).post('/api/v1/population/citizens/verify').set(headers).send({ personalId: parent.personalId, fullName: parent.fullName, dateOfBirth: parent.birthDate });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ exists: true, allMatch: true });
    }

    // 3. The dossier, to the national portal through the outbox.
    const dossier = {
      dossierCode,
      procedureCode: '1.001193.000.00.00.H56',
      applicant: { kind: 'citizen', id: mother.personalId, name: mother.fullName },
      summary: `Liên thông khai sinh, thường trú, BHYT: ${child.fullName}`,
      receivedAt: '2025-08-01T08:30:00+07:00',
      dueAt: '2025-08-06T17:00:00+07:00',
      status: 'processing',
    };
    const accepted = await request(harness.url).put(`/api/v1/public-service-portal/dossiers/${dossierCode}`).set({ ...headers, 'idempotency-key': `${dossierCode}-v1` }).send(dossier);
    expect(accepted.status).toBe(202);
    const portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
    const deadline = Date.now() + 15_000;
    while (!portal.dossiers.get(dossierCode) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(portal.dossiers.get(dossierCode)).toBeDefined();
  });
});
