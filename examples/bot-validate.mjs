// A calling bot's notification endpoint that validates the token on every notification the way
// Microsoft's calling samples do (Sample.Common AuthenticationProvider.ValidateInboundRequestAsync),
// with nothing but node:http and jose. Start Switchboard first (`npm start`), then:
//
//   node examples/bot-validate.mjs [options]
//
//   --switchboard <url>  Switchboard's base URL (default http://127.0.0.1:7410). The keys come from
//                        <url>/v1/.well-known/OpenIdConfiguration, Switchboard's copy of
//                        https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration.
//   --port <port>        the port to listen on, on 127.0.0.1 (default 3978; 0 picks a free one).
//                        Notifications are accepted at http://127.0.0.1:<port>/api/calls.
//   --app-id <id>        the bot's app id, the audience every token must name
//                        (default 2891555a-92ff-42e6-80fa-6e1300c6b5c6, "Calling Bot" of the built-in world)
//   --call <userId>      once listening, place a peer-to-peer call (v1.0) to this user, with the bot's
//                        URL as callbackUri
//   --tenant <id>, --secret <secret>
//                        the tenant and client secret --call gets its token with
//                        (default: the built-in world's, aa67bd4c-... and switchboard-dev-secret)
//
// It answers 202 to a notification whose token is valid and 401 to any other, and prints one line
// per event on stdout:
//
//   listening on http://127.0.0.1:3978/api/calls
//   placed call <id> (201 establishing)
//   notification <changeType> <resourceUrl> <state, or - for rosters and content sharing>
//   rejected (401): <why the token was refused>
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

// validate-notification:begin
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** The issuers the samples accept (ValidIssuers). */
const ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'];
/** The calling service's signing keys: loaded on first use; jose refetches them for an unknown kid. */
let signingKeys;

/**
 * Checks a notification's Authorization header: an RS256 token signed with a key of the calling
 * service's OpenID document, issued by Graph (or the Bot Framework), for this bot's app id, within
 * its lifetime (with .NET's default 5 minutes of clock skew), carrying the tenant id (`tid`).
 * Returns the token's claims; throws when the notification must be refused.
 */
async function validateNotification(authorization, { openIdConfigurationUrl, appId }) {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw new Error('no bearer token');
  signingKeys ??= fetch(openIdConfigurationUrl)
    .then((res) => {
      if (!res.ok) throw new Error(`OpenID configuration: HTTP ${res.status}`);
      return res.json();
    })
    .then((config) => createRemoteJWKSet(new URL(config.jwks_uri)))
    .catch((error) => {
      signingKeys = undefined;
      throw error;
    });
  const { payload } = await jwtVerify(token, await signingKeys, {
    algorithms: ['RS256'],
    issuer: ISSUERS,
    audience: appId,
    requiredClaims: ['exp', 'tid'],
    clockTolerance: 300,
  });
  if (typeof payload.tid !== 'string' || payload.tid === '') throw new Error('no tenant id (tid)');
  return payload;
}
// validate-notification:end

const { values: args } = parseArgs({
  options: {
    switchboard: { type: 'string', default: 'http://127.0.0.1:7410' },
    port: { type: 'string', default: '3978' },
    'app-id': { type: 'string', default: '2891555a-92ff-42e6-80fa-6e1300c6b5c6' },
    call: { type: 'string' },
    tenant: { type: 'string', default: 'aa67bd4c-8475-432d-bd41-39f255720e0a' },
    secret: { type: 'string', default: 'switchboard-dev-secret' },
  },
});
const switchboard = args.switchboard.replace(/\/+$/, '');
const options = {
  openIdConfigurationUrl: `${switchboard}/v1/.well-known/OpenIdConfiguration`,
  appId: args['app-id'],
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => void answer(req, Buffer.concat(chunks).toString('utf8'), res));
});

async function answer(req, text, res) {
  if (req.method !== 'POST' || new URL(req.url, 'http://bot').pathname !== '/api/calls') {
    res.writeHead(404).end();
    return;
  }
  try {
    await validateNotification(req.headers.authorization, options);
  } catch (error) {
    console.log(`rejected (401): ${error.message}`);
    res.writeHead(401).end();
    return;
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    res.writeHead(400).end();
    return;
  }
  for (const item of Array.isArray(body.value) ? body.value : []) {
    console.log(`notification ${item.changeType} ${item.resourceUrl} ${item.resourceData?.state ?? '-'}`);
  }
  res.writeHead(202).end();
}

/** Gets an app token with the client credentials grant and places a call that notifies this bot. */
async function placeCall(userId, callbackUri) {
  const tokenResponse = await fetch(`${switchboard}/${args.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.appId,
      client_secret: args.secret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const { access_token } = await tokenResponse.json();
  const response = await fetch(`${switchboard}/v1.0/communications/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      '@odata.type': '#microsoft.graph.call',
      callbackUri,
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: { user: { id: userId } },
        },
      ],
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    }),
  });
  const call = await response.json();
  if (response.status !== 201)
    throw new Error(`the call was refused: ${response.status} ${JSON.stringify(call)}`);
  console.log(`placed call ${call.id} (${response.status} ${call.state})`);
}

server.listen(Number(args.port), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}/api/calls`;
  console.log(`listening on ${url}`);
  if (args.call) {
    placeCall(args.call, url).catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
  }
});
