import { readFile } from 'node:fs/promises';
import { fromProjectRoot } from '../../src/paths.js';
import { allRoles } from '../../src/auth/roles.js';
import { keycloakRedirectUriMatches, loadRealmExport, RealmSeed } from './realm-export.js';

const realmExportPath = fromProjectRoot('config/keycloak/lgsp-realm.json');

describe('the realm export Keycloak imports', () => {
  it('keeps the shape that makes Keycloak put realm_access and sub into tokens', async () => {
    const raw = JSON.parse(await readFile(realmExportPath, 'utf8')) as Record<string, unknown>;
    // Declaring any clientScopes suppresses Keycloak's built-in ones (basic -> sub, roles -> realm_access).
    expect(raw).not.toHaveProperty('clientScopes');
    expect(raw.realm).toBe('lgsp');
  });

  it('defines every role the gateway checks, and only references defined roles', async () => {
    const realm = await loadRealmExport(realmExportPath);
    const defined = new Set((realm.roles?.realm ?? []).map((role) => role.name));
    for (const role of allRoles) expect(defined).toContain(role);
    for (const user of realm.users ?? []) for (const role of user.realmRoles ?? []) expect(defined).toContain(role);
  });

  it('imports passwords as non-temporary, so the dev users can log in without a forced reset', async () => {
    const realm = await loadRealmExport(realmExportPath);
    for (const user of realm.users ?? []) for (const credential of user.credentials ?? []) expect(credential.temporary).toBe(false);
  });

  it('answers lookups the way Keycloak would', async () => {
    const seed = new RealmSeed(await loadRealmExport(realmExportPath));
    expect(seed.accessTokenAudiences('one-stop')).toEqual(['lgsp-gateway']);
    expect(seed.accessTokenAudiences('lgsp-console')).toEqual(['lgsp-gateway']);
    expect(seed.tokenClients().map((client) => client.clientId).sort()).toEqual(['land-office-system', 'lgsp-console', 'one-stop']);
    const admin = seed.userByUsername('ADMIN');
    expect(admin).toBeDefined();
    if (!admin) return;
    expect(seed.verifyPassword(admin, 'admin-dev-password')).toBe(true);
    expect(seed.verifyPassword(admin, 'admin-dev-passwor')).toBe(false);
    expect(seed.effectiveRealmRoles(admin)).toEqual(['default-roles-lgsp', 'offline_access', 'uma_authorization', 'lgsp-admin']);
    // Service accounts cannot log in through the form.
    expect(seed.userByUsername('service-account-one-stop')).toBeUndefined();
  });

  it('matches redirect URIs with Keycloak wildcards and nothing looser', () => {
    const registered = ['http://localhost:8080/console/*'];
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080/console/')).toBe(true);
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080/console')).toBe(true);
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080/console/a/b?auth_callback=1')).toBe(true);
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080/console/../admin')).toBe(false);
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080/consolex')).toBe(false);
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080.evil.example/console/')).toBe(false);
    expect(keycloakRedirectUriMatches(registered, 'http://localhost:8080/console/#frag')).toBe(false);
    expect(keycloakRedirectUriMatches(['http://localhost:8080/exact'], 'http://localhost:8080/exact/')).toBe(false);
  });
});
