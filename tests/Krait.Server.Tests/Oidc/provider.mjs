// A real OpenID Connect provider for the sign-in tests: panva's oidc-provider (npm, 8.8.1; installed by .ci/run into
// artifacts/tools/oidc-provider), with its development login pages (any login name, any password) and one client,
// Krait Server. Usage: node provider.mjs MODULE_DIR PORT REDIRECT_URI CLIENT_SECRET
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [moduleDir, port, redirectUri, clientSecret] = process.argv.slice(2);
const { default: Provider } = await import(pathToFileURL(path.join(moduleDir, 'lib', 'index.js')).href);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'krait',
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: `subject-of-${id}`, preferred_username: id, email: `${id}@example.org` }; } };
  },
  claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['krait-tests-only'] },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${port}`));
