import fs from 'node:fs';
import path from 'node:path';
import { PORTAL_APP } from './GitHubApp';

/** The login the app's identity had before it was a GitHub App's bot. */
const FORMER_LOGIN = 'omnivision-portal';

/**
 * Renames the portal's former user `omnivision-portal` to its bot's login in state written
 * before (pull requests it opened, statuses it posted), so that a data folder kept from then
 * still reads.
 */
export function migrateAppLogin(dataDir: string) {
  for (const name of ['pulls.json', 'statuses.json']) {
    const file = path.join(dataDir, name);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const migrated = text.replaceAll(
      JSON.stringify(FORMER_LOGIN),
      JSON.stringify(PORTAL_APP.login),
    );
    if (migrated !== text) fs.writeFileSync(file, migrated);
  }
}
