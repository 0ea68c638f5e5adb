import { isValidTaxCode } from '../../src/connector-kit/tax-code.js';
import { branchesOf, findBusinessByTaxCode, generateBusinesses, seededBusinesses, wellKnownTaxCodes } from './enterprises.js';
import { ageAtReferenceDate, findPersonById, wellKnownPersonIds } from './people.js';

describe('seeded businesses', () => {
  const businesses = seededBusinesses();

  it('are deterministic', () => {
    expect(JSON.stringify(generateBusinesses())).toBe(JSON.stringify(businesses));
  });

  it('carry valid, unique tax codes; branches hang under an existing head unit with its code as prefix', () => {
    expect(new Set(businesses.map((business) => business.taxCode)).size).toBe(businesses.length);
    for (const business of businesses) {
      expect(isValidTaxCode(business.taxCode)).toBe(true);
      if (business.kind === 'branch') {
        expect(business.taxCode.startsWith(`${business.headUnitCode}-`)).toBe(true);
        expect(findBusinessByTaxCode(business.headUnitCode!)).toBeDefined();
      } else {
        expect(business.taxCode).toMatch(/^\d{10}$/);
      }
    }
  });

  it('are represented by adult seeded people', () => {
    for (const business of businesses) {
      expect(business.representativeIds.length).toBeGreaterThan(0);
      for (const id of business.representativeIds) {
        const person = findPersonById(id);
        expect(person).toBeDefined();
        expect(ageAtReferenceDate(person!.birthDate)).toBeGreaterThanOrEqual(18);
      }
    }
  });

  it('hold every kind and status, dates in order', () => {
    const kinds = new Set(businesses.map((business) => business.kind));
    expect([...kinds].sort()).toEqual(['branch', 'cooperative', 'enterprise', 'household-business']);
    const statuses = new Set(businesses.map((business) => business.status));
    for (const status of ['active', 'suspended', 'dissolved']) expect(statuses).toContain(status);
    for (const business of businesses) {
      if (business.status === 'suspended') expect(business.suspension).toBeDefined();
      if (business.status !== 'active') expect(business.statusSince).toBeDefined();
      expect(business.businessLines.filter((line) => line.main)).toHaveLength(1);
    }
  });

  it('keep the documented well-known examples', () => {
    expect(findBusinessByTaxCode(wellKnownTaxCodes.activeCompany)).toMatchObject({ status: 'active', representativeIds: [wellKnownPersonIds.manBornInHanoi1990] });
    expect(branchesOf(wellKnownTaxCodes.activeCompany).map((branch) => branch.taxCode)).toEqual([wellKnownTaxCodes.activeCompanyBranch]);
    expect(findBusinessByTaxCode(wellKnownTaxCodes.suspendedCompany)?.status).toBe('suspended');
    expect(findBusinessByTaxCode(wellKnownTaxCodes.dissolvedPrivateEnterprise)?.status).toBe('dissolved');
    expect(findBusinessByTaxCode(wellKnownTaxCodes.householdBusiness)).toMatchObject({ kind: 'household-business', representativeIds: [wellKnownPersonIds.upperCaseNoDiacritics] });
    expect(findBusinessByTaxCode(wellKnownTaxCodes.cooperative)?.kind).toBe('cooperative');
    expect(findBusinessByTaxCode(wellKnownTaxCodes.companyWithTwoRepresentatives)?.representativeIds).toHaveLength(2);
  });
});
