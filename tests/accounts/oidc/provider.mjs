// A real OpenID Connect provider for the sign-in tests: the npm package oidc-provider (version
// pinned in package.json beside this file, installed into .tools/ by `make browser-tools`).
// tests/accounts/conftest.py starts it on a loopback port and stops it after the session.
//
// Environment:
//   OIDC_TEST_NODE_MODULES  the node_modules folder holding oidc-provider (and its jose)
//   OIDC_TEST_PORT          the loopback port to listen on; the issuer is http://127.0.0.1:PORT
//   OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET   the portal's client
//   OIDC_TEST_ACCOUNTS      JSON: {login: {email, email_verified, name}} – the people who can
//                           sign in (the development login form takes the login; any password)
//
// For the tests of a forged answer, GET /__test__/tamper?mode=MODE makes the token endpoint
// answer with an ID token re-signed by the provider's own key but with one thing wrong:
// audience, issuer, nonce, expired, signature (signed by another key), unsigned (alg none);
// mode=none answers truthfully again.

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.OIDC_TEST_NODE_MODULES;
const requireFrom = createRequire(path.join(modules, 'resolve-from-here.js'));
const load = (name) => import(pathToFileURL(requireFrom.resolve(name)).href);
const { default: Provider } = await load('oidc-provider');
const jose = await load('jose');

const port = Number(process.env.OIDC_TEST_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || '{}');
const CALLBACK_PATH = '/konto/kommunen/svar/';

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const { privateKey: strangersKey } = await jose.generateKeyPair('RS256');

let tamper = 'none';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID,
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
      redirect_uris: [`http://testserver${CALLBACK_PATH}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
  // A first-party client: no consent screen, the scopes asked for are granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

// The tests' portal runs on the Django test client (http://testserver) or on a live server on
// a loopback port chosen at random: any of those may receive the answer at the callback path.
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  const url = new URL(value);
  const loopback = ['testserver', '127.0.0.1', 'localhost'].includes(url.hostname);
  return url.protocol === 'http:' && loopback && url.pathname === CALLBACK_PATH && !url.search;
};

async function tampered(idToken) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = privateKey;
  let header = { alg: 'RS256', kid: 'test-key' };
  switch (tamper) {
    case 'audience': claims.aud = 'another-client'; break;
    case 'issuer': claims.iss = 'http://127.0.0.1:1'; break;
    case 'nonce': claims.nonce = 'not-the-nonce-the-portal-sent'; break;
    case 'expired': claims.iat = now - 3600; claims.exp = now - 1800; break;
    case 'signature': key = strangersKey; break;
    case 'unsigned': {
      const encode = (part) => Buffer.from(JSON.stringify(part)).toString('base64url');
      return `${encode({ alg: 'none' })}.${encode(claims)}.`;
    }
    default: throw new Error(`unknown tamper mode ${tamper}`);
  }
  return new jose.SignJWT(claims).setProtectedHeader(header).sign(key);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test__/tamper') {
    tamper = ctx.query.mode || 'none';
    ctx.body = { tamper };
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && tamper !== 'none' && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
