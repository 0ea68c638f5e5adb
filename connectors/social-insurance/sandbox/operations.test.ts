import { findBusinessByTaxCode } from '../../../simulators/kit/enterprises.js';
import { ageAtReferenceDate, seededPeople, wellKnownPersonIds } from '../../../simulators/kit/people.js';
import { SandboxSoapFault } from '../../../simulators/kit/soap-sandbox.js';
import { lookUpParticipant } from './operations.js';
import { participationStatuses, seededParticipants, wellKnownSocialInsuranceCodes } from './seed.js';

const caller = { MaYeuCau: 'r-1', MaDVC: '1.001612.000.00.00.H29', MaCanBo: 'officer01' };

function faultCode(args: Record<string, unknown>): string | undefined {
  try {
    lookUpParticipant(args);
  } catch (error) {
    if (error instanceof SandboxSoapFault) return /<bhxh:MaLoi>([^<]+)</.exec(error.detailXml)?.[1];
    throw error;
  }
  return undefined;
}

describe('social-insurance sandbox records', () => {
  const participants = seededParticipants();

  it('gives every participant one unique 10-digit code, inside the card number too', () => {
    const codes = participants.map((participant) => participant.socialInsuranceCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^\d{10}$/);
    expect(codes).toEqual(expect.arrayContaining(Object.values(wellKnownSocialInsuranceCodes)));
  });

  it('leaves some adults out: not everyone participates', () => {
    const participating = new Set(participants.map((participant) => participant.person.personalId));
    const adults = seededPeople().filter((person) => ageAtReferenceDate(person.birthDate) >= 18);
    const outside = adults.filter((person) => !participating.has(person.personalId));
    expect(outside.length).toBeGreaterThan(adults.length * 0.05);
    expect(participating.has(wellKnownPersonIds.sparseRecord)).toBe(false);
  });

  it('gives minors a child\'s or pupil\'s card and no contributions, and most of the retired a pension', () => {
    for (const participant of participants) {
      const age = ageAtReferenceDate(participant.person.birthDate);
      if (age < 6) expect(participant.card?.category).toBe('TE');
      else if (age < 18) expect(participant.card?.category).toBe('HS');
      if (age < 18) expect(participant.contributions).toBeUndefined();
      if (participant.status === participationStatuses.pensioner) expect(participant.card?.category).toBe('HT');
    }
    expect(participants.filter((participant) => participant.status === participationStatuses.pensioner).length).toBeGreaterThan(10);
  });

  it('draws employers with a tax code from the shared seeded businesses', () => {
    const units = participants.flatMap((participant) => (participant.contributions?.unit?.taxCode ? [participant.contributions.unit] : []));
    expect(units.length).toBeGreaterThan(20);
    for (const unit of units) expect(findBusinessByTaxCode(unit.taxCode!)?.name).toBe(unit.name);
  });
});

describe('social-insurance sandbox lookup rules', () => {
  it('finds by code or by personal id, and both keys must be the same person', () => {
    expect(lookUpParticipant({ ...caller, MaSoBHXH: '0123456789' }).participant?.person.personalId).toBe('001090012345');
    expect(lookUpParticipant({ ...caller, SoDinhDanh: '001090012345' }).participant?.socialInsuranceCode).toBe('0123456789');
    expect(lookUpParticipant({ ...caller, MaSoBHXH: '0123456789', SoDinhDanh: '079301005678' }).result.code).toBe('01');
    // An unlinked book is found by its code only.
    const unlinked = lookUpParticipant({ ...caller, MaSoBHXH: wellKnownSocialInsuranceCodes.unlinked }).participant!;
    expect(lookUpParticipant({ ...caller, SoDinhDanh: unlinked.person.personalId }).result.code).toBe('01');
  });

  it('refuses malformed or anonymous requests with business faults', () => {
    expect(faultCode({ ...caller, MaSoBHXH: '012345678' })).toBe('BH-01');
    expect(faultCode({ ...caller, SoDinhDanh: '12345' })).toBe('BH-02');
    expect(faultCode({ ...caller })).toBe('BH-03');
    expect(faultCode({ ...caller, MaCanBo: '', MaSoBHXH: '0123456789' })).toBe('BH-04');
    expect(faultCode({ ...caller, MaDVC: undefined, MaSoBHXH: '0123456789' })).toBe('BH-05');
    expect(faultCode({ ...caller, MaYeuCau: ' ', MaSoBHXH: '0123456789' })).toBe('BH-06');
  });
});
