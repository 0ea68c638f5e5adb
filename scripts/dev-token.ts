import { consoleUserToken } from '../simulators/dev-idp/scripted-login.js';

/**
 * Prints an access token of a dev realm user (admin, operator, auditor) from
 * the running embedded dev IdP, for trying the admin API with curl:
 *   ADMIN_TOKEN=$(npm run -s dev-token -- admin)
 */
const username = process.argv[2] ?? 'admin';
const issuer = process.env.LGSP_DEV_ISSUER ?? 'http://127.0.0.1:8180/realms/lgsp';
consoleUserToken(issuer, `${issuer}/protocol/openid-connect/token`, username).then(
  (token) => process.stdout.write(`${token}\n`),
  (error: unknown) => {
    process.stderr.write(`dev-token: ${(error as Error).message} (is \`npm start\` running?)\n`);
    process.exit(1);
  },
);
