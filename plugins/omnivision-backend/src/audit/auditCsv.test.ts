import type { AuditEvent } from '@internal/plugin-omnivision-common';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { auditCsvStringifier } from './auditCsv';

const event: AuditEvent = {
  id: 1,
  at: '2026-11-24T09:00:00.000Z',
  actor: 'user:default/maya-chen',
  action: 'request.created',
  outcome: 'succeeded',
  pullRequestNumber: 7,
  model: 'vidgen-xl',
  reason: 'a100-40gb-1 in us-west-2, europe-west1',
  githubLogin: 'maya-chen',
};

const csvOf = (events: AuditEvent[]) =>
  text(Readable.from(events).pipe(auditCsvStringifier()));

describe('auditCsvStringifier', () => {
  it('writes a header and one CRLF line per event, quoting what needs quotes', async () => {
    expect(await csvOf([event, { ...event, id: 2, reason: 'said "no"' }])).toBe(
      [
        'id,at,actor,action,outcome,pullRequestNumber,model,region,reason,githubLogin,key',
        '1,2026-11-24T09:00:00.000Z,user:default/maya-chen,request.created,succeeded,7,vidgen-xl,,"a100-40gb-1 in us-west-2, europe-west1",maya-chen,',
        '2,2026-11-24T09:00:00.000Z,user:default/maya-chen,request.created,succeeded,7,vidgen-xl,,"said ""no""",maya-chen,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes the header for no events', async () => {
    expect(await csvOf([])).toBe(
      'id,at,actor,action,outcome,pullRequestNumber,model,region,reason,githubLogin,key\r\n',
    );
  });

  it.each(['=HYPERLINK("http://x")', '+1', '-1+1', '@SUM(A1)', '\tx', '\rx'])(
    'defuses a formula-like actor or model %j for spreadsheets',
    async formula => {
      const [, line] = (
        await csvOf([
          { ...event, actor: formula, model: formula, reason: undefined },
        ])
      ).split('\r\n');
      const cells = line.split(',');
      for (const cell of [cells[2], cells[6]]) {
        expect(cell.replace(/^"/, '').startsWith(`'${formula[0]}`)).toBe(true);
      }
    },
  );
});
