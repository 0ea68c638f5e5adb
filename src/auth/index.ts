// The dev IdP is deliberately not re-exported: production code paths must not
// load oidc-provider. Embedded mode and tests import '../../simulators/dev-idp/index.js'.
export type { Principal } from './principal.js';
export { Roles, allRoles, hasRole, type LgspRole } from './roles.js';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './token-verifier.js';
