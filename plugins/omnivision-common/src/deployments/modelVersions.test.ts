import {
  chooseModelVersion,
  newestSignedVersion,
  readModelVersions,
  requestedVersionOf,
} from './modelVersions';
import { VERSIONS } from '../testing/deploymentFixtures';

const model = { name: 'vidgen-xl', versions: VERSIONS };

describe('newestSignedVersion', () => {
  it('is the signed version released last, passing over a newer unsigned one', () => {
    expect(newestSignedVersion(VERSIONS)?.version).toBe('2.1.0');
    expect(newestSignedVersion([...VERSIONS].reverse())?.version).toBe('2.1.0');
  });

  it('is undefined when no version is signed, or none is listed', () => {
    expect(newestSignedVersion([VERSIONS[0]])).toBeUndefined();
    expect(newestSignedVersion([])).toBeUndefined();
    expect(newestSignedVersion(undefined)).toBeUndefined();
  });
});

describe('requestedVersionOf', () => {
  it('reads an absent or blank version as none', () => {
    expect(requestedVersionOf({})).toBeUndefined();
    expect(requestedVersionOf({ version: '' })).toBeUndefined();
    expect(requestedVersionOf({ version: '  ' })).toBeUndefined();
    expect(requestedVersionOf({ version: ' 2.0.0 ' })).toBe('2.0.0');
  });
});

describe('chooseModelVersion', () => {
  it('takes the newest signed version when the request names none', () => {
    expect(chooseModelVersion(model, {})).toEqual({
      version: VERSIONS[1],
      requested: false,
    });
  });

  it('takes a signed version the request names', () => {
    expect(chooseModelVersion(model, { version: '2.0.0' })).toEqual({
      version: VERSIONS[2],
      requested: true,
    });
  });

  it('refuses an unknown version, naming the model and its versions', () => {
    expect(chooseModelVersion(model, { version: '9.9.9' })).toEqual({
      requested: true,
      refusal:
        'version "9.9.9" of vidgen-xl is unknown; its versions: 2.2.0-rc.1, 2.1.0, 2.0.0',
    });
  });

  it('refuses an unsigned version, naming the signed ones', () => {
    expect(chooseModelVersion(model, { version: '2.2.0-rc.1' })).toEqual({
      requested: true,
      refusal:
        'version 2.2.0-rc.1 of vidgen-xl is not signed; signed versions: 2.1.0, 2.0.0',
    });
  });

  it('refuses a model none of whose versions is signed', () => {
    expect(
      chooseModelVersion({ name: 'vidgen-xl', versions: [VERSIONS[0]] }, {}),
    ).toEqual({
      requested: false,
      refusal: 'vidgen-xl has no signed version (listed: 2.2.0-rc.1)',
    });
  });

  it('deploys the own image of a model that lists no versions, and refuses a version for it', () => {
    expect(chooseModelVersion({ name: 'vidgen-xl' }, {})).toEqual({
      requested: false,
    });
    expect(
      chooseModelVersion({ name: 'vidgen-xl' }, { version: '1.0.0' }).refusal,
    ).toBe(
      'version "1.0.0" of vidgen-xl is unknown; the catalog lists no versions of it',
    );
  });
});

describe('readModelVersions', () => {
  it('reads versions that meet the schema, and none when the entity lists none', () => {
    expect(readModelVersions(VERSIONS)).toEqual({ versions: VERSIONS });
    expect(readModelVersions(undefined)).toEqual({});
  });

  it('says what is wrong: a tag for a digest, a version listed twice, a missing date, an empty list', () => {
    expect(
      readModelVersions([{ ...VERSIONS[1], imageDigest: 'latest' }]).problems,
    ).toMatch(/^versions\[0\]\[imageDigest\]: /);
    expect(readModelVersions([VERSIONS[1], VERSIONS[1]]).problems).toBe(
      'versions: version 2.1.0 is listed twice',
    );
    const { releasedAt: _released, ...undated } = VERSIONS[1];
    expect(readModelVersions([undated]).problems).toMatch(
      /^versions\[0\]\[releasedAt\]: Required/,
    );
    expect(readModelVersions([]).problems).toMatch(/^versions: /);
    expect(readModelVersions('2.1.0').problems).toMatch(/^versions: /);
  });
});
