import crypto from 'node:crypto';
import { JWTPayload, SignJWT } from 'jose';
import { AppJwtVerifier, JWT_REFUSALS } from './AppJwtVerifier';

const APP_ID = 3001;
const CLIENT_ID = 'Iv23liTestApp';
const NOW = Date.parse('2026-03-02T10:00:00Z');
const seconds = Math.floor(NOW / 1000);

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Claims as they are sent: GitHub's `iss` is a number, which jose's type does not foresee. */
const claimsOf = (claims: object) => claims as JWTPayload;

/** A JWT as @octokit/auth-app signs one: iat 30 s back, exp 10 minutes after iat. */
function jwt(
  claims: Record<string, unknown> = {},
  key: crypto.KeyObject = privateKey,
  alg = 'RS256',
) {
  return new SignJWT(
    claimsOf({
      iat: seconds - 30,
      exp: seconds - 30 + 600,
      iss: APP_ID,
      ...claims,
    }),
  )
    .setProtectedHeader({ alg, typ: 'JWT' })
    .sign(key);
}

describe('AppJwtVerifier', () => {
  const verifier = AppJwtVerifier.create({
    appId: APP_ID,
    clientId: CLIENT_ID,
    publicKey,
    now: () => NOW,
  });
  const refusal = (message: string) =>
    expect.objectContaining({ status: 401, message });

  it('accepts an RS256 JWT of the app, by app id (number or digits) or client id', async () => {
    await expect(verifier.verify(await jwt())).resolves.toBe(APP_ID);
    await expect(verifier.verify(await jwt({ iss: '3001' }))).resolves.toBe(
      APP_ID,
    );
    await expect(verifier.verify(await jwt({ iss: CLIENT_ID }))).resolves.toBe(
      APP_ID,
    );
  });

  it('allows a minute of clock skew either way', async () => {
    // The app's clock 50 s ahead: iat in the future, exp 10 minutes after it.
    await expect(
      verifier.verify(await jwt({ iat: seconds + 50, exp: seconds + 650 })),
    ).resolves.toBe(APP_ID);
    // Expired 50 s ago by GitHub's clock.
    await expect(
      verifier.verify(await jwt({ iat: seconds - 650, exp: seconds - 50 })),
    ).resolves.toBe(APP_ID);
  });

  it('refuses a JWT signed with another key, or not RS256, or not a JWT', async () => {
    await expect(
      verifier.verify(await jwt({}, otherKey.privateKey)),
    ).rejects.toEqual(refusal(JWT_REFUSALS.undecodable));
    const hs256 = await new SignJWT(
      claimsOf({ iat: seconds, exp: seconds + 60, iss: 1 }),
    )
      .setProtectedHeader({ alg: 'HS256' })
      .sign(crypto.randomBytes(32));
    await expect(verifier.verify(hs256)).rejects.toEqual(
      refusal(JWT_REFUSALS.undecodable),
    );
    await expect(verifier.verify('eyJhbGciOi.not.ajwt')).rejects.toEqual(
      refusal(JWT_REFUSALS.undecodable),
    );
  });

  it("refuses another app's id, and an issuer that is neither id nor client id", async () => {
    await expect(verifier.verify(await jwt({ iss: 3002 }))).rejects.toEqual(
      refusal(JWT_REFUSALS.undecodable),
    );
    await expect(
      verifier.verify(await jwt({ iss: 'someone' })),
    ).rejects.toEqual(refusal(JWT_REFUSALS.issuer));
  });

  it('refuses an expired JWT, one issued in the future, and one that lives longer than 10 minutes', async () => {
    await expect(
      verifier.verify(await jwt({ iat: seconds - 900, exp: seconds - 300 })),
    ).rejects.toEqual(refusal(JWT_REFUSALS.expired));
    await expect(
      verifier.verify(await jwt({ iat: seconds + 300, exp: seconds + 600 })),
    ).rejects.toEqual(refusal(JWT_REFUSALS.issuedAt));
    await expect(
      verifier.verify(await jwt({ iat: seconds, exp: seconds + 601 })),
    ).rejects.toEqual(refusal(JWT_REFUSALS.tooFar));
    await expect(
      verifier.verify(await jwt({ iat: seconds - 30, exp: seconds + 3600 })),
    ).rejects.toEqual(refusal(JWT_REFUSALS.tooFar));
    await expect(verifier.verify(await jwt({ exp: 'soon' }))).rejects.toEqual(
      refusal(JWT_REFUSALS.expired),
    );
  });
});
