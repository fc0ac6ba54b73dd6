// A real OpenID provider for the single sign-on tests: the certified `oidc-provider` on loopback.
//
// Usage: node provider.mjs CONFIG.json
// CONFIG: {"clients": [...oidc-provider client metadata...],
//          "accounts": {"<id>": {"claims": {...}, "amr": [...], "acr": "..."}},
//          "idTokenSeconds": 600}
// It listens on 127.0.0.1 at a free port and prints one line, `listening <issuer>`, when ready.
//
// The login and consent pages are replaced by one scripted step, so that a test drives the
// flow over plain HTTP: GET /interaction/<uid>?account=<id> signs in as that account (with its
// amr/acr) and grants what the client asked; ?account=refuse ends the attempt with
// access_denied, as a user pressing "Cancel" would.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;

function findAccount(_ctx, accountId) {
  const account = accounts[accountId];
  if (!account) return undefined;
  return {
    accountId,
    claims: async () => ({ sub: accountId, ...account.claims }),
  };
}

async function grantScopesAsked(provider, interaction, accountId) {
  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId, clientId: interaction.params.client_id });
  grant.addOIDCScope(interaction.params.scope);
  return grant.save();
}

async function interact(provider, req, res) {
  const interaction = await provider.interactionDetails(req, res);
  const chosen = new URL(req.url, 'http://127.0.0.1').searchParams.get('account');
  if (chosen === 'refuse') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The user cancelled the sign-in.',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = interaction.session?.accountId ?? chosen;
  if (!accounts[accountId]) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`choose ?account= one of ${Object.keys(accounts).join(', ')}\n`);
    return;
  }
  const result = {};
  if (interaction.prompt.name === 'login') {
    const { amr, acr } = accounts[accountId];
    result.login = { accountId, amr, acr, remember: false };
  }
  result.consent = { grantId: await grantScopesAsked(provider, interaction, accountId) };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

function start() {
  const server = createServer();
  server.listen(0, '127.0.0.1', () => {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const acrValues = [...new Set(Object.values(accounts).map((a) => a.acr).filter(Boolean))];
    const provider = new Provider(issuer, {
      clients: config.clients,
      findAccount,
      acrValues,
      conformIdTokenClaims: false, // e-mail in the ID token, as Keycloak, Google and Entra ID send it
      claims: {
        // acr and amr in every ID token, as Entra ID and Keycloak send them
        openid: ['sub', 'acr', 'amr', 'auth_time'],
        email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      ttl: { IdToken: config.idTokenSeconds ?? 600 },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    });
    provider.on('server_error', (_ctx, error) => console.error('server_error', error));
    const handle = provider.callback();
    server.on('request', (req, res) => {
      if (req.url.startsWith('/interaction/')) {
        interact(provider, req, res).catch((error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`${error}\n`);
        });
      } else {
        handle(req, res);
      }
    });
    console.log(`listening ${issuer}`);
  });
}

start();
