export { startDevIdp, type DevIdp, type DevIdpOptions } from './dev-idp.js';
