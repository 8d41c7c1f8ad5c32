import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, fn, T } from './helpers.js';

const unit = (u: string) => ({ type: null, intervalUnit: u });
import { reg } from './helpers.js';
const shift = (name: string, u: string, amountType: typeof T.INT, valueType: typeof T.INT, amount: unknown, value: unknown): unknown =>
  reg.resolveScalar(name, [unit(u), { type: amountType }, { type: valueType }], {}).impl(u, amount, value);

describe('date and time functions', () => {
  it('FORMAT_DATE / DATETOSTRING with java patterns and literals', () => {
    assert.equal(call('format_date', [T.DATE, T.STRING], 17662, 'yyyy-MM-dd'), '2018-05-11');
    assert.equal(call('format_date', [T.DATE, T.STRING], 18027, 'dd/MM/yyyy'), '11/05/2019');
    assert.equal(call('format_date', [T.DATE, T.STRING], 18993, 'dd-MMM-yyyy'), '01-Jan-2022');
    assert.equal(call('format_date', [T.DATE, T.STRING], -1, "dd-MM-yyyy'Sophia'"), '31-12-1969Sophia');
    assert.equal(call('datetostring', [T.INT, T.STRING], 0, 'EEEE d MMMM yy'), 'Thursday 1 January 70');
    assert.equal(call('format_date', [T.DATE, T.STRING], null, 'yyyy'), null);
    assert.throws(() => call('format_date', [T.DATE, T.STRING], 0, 'yyyy HH'), /Unsupported field: HourOfDay/);
    assert.throws(() => call('format_time', [T.TIME, T.STRING], 0, 'yyyy HH'), /Unsupported field: YearOfEra/);
  });

  it('PARSE_DATE / STRINGTODATE, case-insensitive text, defaulting missing fields', () => {
    assert.equal(fn('parse_date', '2018-05-11Lit', "yyyy-MM-dd'Lit'"), 17662);
    assert.equal(fn('parse_date', '01-JAN-2022', 'dd-MMM-yyyy'), 18993);
    assert.equal(fn('parse_date', 'JAN-2022', 'MMM-yyyy'), 18993);
    assert.equal(fn('parse_date', '1969-12-31', 'yyyy-MM-dd'), -1);
    assert.equal(fn('stringtodate', '20200101', 'yyyyMMdd'), 18262);
    // like java.text.DateFormat#parse, text after the pattern is ignored
    assert.equal(fn('parse_date', '2003-12-24-01-01', 'yyyy-MM-dd'), 12410);
    assert.throws(() => fn('parse_date', '2020', 'yyyy-MM-dd'), /could not be parsed/);
    assert.throws(() => fn('parse_date', '2020-02-30', 'yyyy-MM-dd'), /Invalid date/);
    assert.throws(() => fn('parse_date', '2020-02-03 10', 'yyyy-MM-dd HH'), /Date format contains time field/);
    assert.throws(() => fn('parse_time', '2020 10', 'yyyy HH'), /Time format contains date field/);
  });

  it('FORMAT_TIME / PARSE_TIME', () => {
    assert.equal(call('format_time', [T.TIME, T.STRING], 65000, 'HH_mm_ss_SSS'), '00_01_05_000');
    assert.equal(call('format_time', [T.TIME, T.STRING], 1234567, "HHmmss'AAAAA'"), '002034AAAAA');
    assert.equal(call('format_time', [T.TIME, T.STRING], 46800000, 'hh:mm a'), '01:00 PM');
    assert.equal(fn('parse_time', "00:01:05Lit", "HH:mm:ss'Lit'"), 65000);
    assert.equal(fn('parse_time', '11/05/19', 'HH/mm/ss'), 39919000);
    assert.equal(fn('parse_time', '01:00:00 Pm', 'hh:mm:ss a'), 46800000);
    assert.equal(fn('parse_time', '12:00:00 AM', 'hh:mm:ss a'), 0);
  });

  it('timestamps with zones: names, offsets and DST', () => {
    assert.equal(call('format_timestamp', [T.TIMESTAMP, T.STRING, T.STRING], 1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'), '2018-05-11 14:58:33 PDT');
    assert.equal(call('timestamptostring', [T.BIGINT, T.STRING, T.STRING], 1526075913000n, 'yyyy-MM-dd HH:mm:ss zzz', 'Europe/London'), '2018-05-11 22:58:33 BST');
    assert.equal(call('format_timestamp', [T.TIMESTAMP, T.STRING], 1526075913123, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), '2018-05-11T21:58:33.123Z');
    assert.equal(call('format_timestamp', [T.TIMESTAMP, T.STRING], 0, 'HH:mm z'), '00:00 GMT');
    assert.equal(call('format_timestamp', [T.TIMESTAMP, T.STRING, T.STRING], 0, 'HH:mm Z', '+05:30'), '05:30 +0530');
    assert.equal(fn('parse_timestamp', '2018-05-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss"), 1526075913000);
    assert.equal(fn('parse_timestamp', '2018-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss zzz"), 1526101113000);
    assert.equal(fn('parse_timestamp', '2018-01-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss", 'America/Los_Angeles'), Date.UTC(2018, 0, 12, 5, 58, 33));
    assert.equal(fn('stringtotimestamp', '2018-05-11T21:58:33Z', "yyyy-MM-dd'T'HH:mm:ssX"), 1526075913000n);
    assert.equal(fn('stringtotimestamp', '2020-05-11T21:58:33z', "yyyy-MM-dd'T'HH:mm:ssX"), 1589234313000n);
    assert.equal(fn('stringtotimestamp', '2019-08-27T13:31:09.2+0000', "yyyy-MM-dd'T'HH:mm:ss.SX"), 1566912669200n);
    assert.throws(() => fn('parse_timestamp', 'x', 'yyyy', 'Mars/Olympus'), /could not be parsed|Unknown time-zone/);
    assert.throws(() => call('format_timestamp', [T.TIMESTAMP, T.STRING, T.STRING], 0, 'yyyy', 'Mars/Olympus'), /Unknown time-zone ID: Mars\/Olympus/);
    assert.throws(() => call('format_timestamp', [T.TIMESTAMP, T.STRING], 0, 'yyyy-bb'), /Unknown pattern letter: b/);
  });

  it('CONVERT_TZ shifts the wall clock between zones', () => {
    assert.equal(call('convert_tz', [T.TIMESTAMP, T.STRING, T.STRING], 100, 'America/Los_Angeles', 'America/New_York'), 10800100);
    assert.equal(call('convert_tz', [T.TIMESTAMP, T.STRING, T.STRING], 1589234313000, 'America/Los_Angeles', 'America/New_York'), 1589245113000);
    assert.equal(call('convert_tz', [T.TIMESTAMP, T.STRING, T.STRING], 0, 'UTC', '+01:00'), 3600000);
  });

  it('epoch conversions', () => {
    assert.equal(fn('from_days', -10), -10);
    assert.equal(fn('from_unixtime', 1000n), 1000);
    assert.equal(call('unix_timestamp', [T.TIMESTAMP], 100), 100n);
    assert.equal(call('unix_date', [T.DATE], 7), 7);
    assert.ok((fn('unix_date') as number) > 19000);
    assert.ok((fn('unix_timestamp') as bigint) > 1_600_000_000_000n);
  });

  it('DATEADD / DATESUB / TIMEADD / TIMESUB / TIMESTAMPADD / TIMESTAMPSUB', () => {
    assert.equal(shift('dateadd', 'DAYS', T.INT, T.DATE, 10, 10), 20);
    assert.equal(shift('dateadd', 'DAYS', T.INT, T.DATE, -5, 2), -3);
    assert.equal(shift('dateadd', 'HOURS', T.INT, T.DATE, 49, 0), 2);
    assert.equal(shift('dateadd', 'HOURS', T.INT, T.DATE, -1, 5), 4);
    assert.equal(shift('dateadd', 'MILLISECONDS', T.INT, T.DATE, null, 5), null);
    assert.equal(shift('datesub', 'DAYS', T.INT, T.DATE, 10, 5), -5);
    assert.equal(shift('timeadd', 'MILLISECONDS', T.INT, T.TIME, 10, 86399995), 5);
    assert.equal(shift('timesub', 'MILLISECONDS', T.INT, T.TIME, 5, 2), 86399997);
    assert.equal(shift('timestampadd', 'MILLISECONDS', T.BIGINT, T.TIMESTAMP, -5n, 2), -3);
    assert.equal(shift('timestampsub', 'SECONDS', T.BIGINT, T.TIMESTAMP, 1n, 0), -1000);
    assert.throws(() => shift('timestampadd', 'FORTNIGHTS', T.BIGINT, T.TIMESTAMP, 1n, 0), /Unsupported time unit/);
  });
});

describe('java.time pattern details', () => {
  it('optional sections parse when present and print when the value has the fields', () => {
    const p = "yyyy-MM-dd['T'HH:mm[:ss]]";
    assert.equal(fn('parse_timestamp', '2020-01-02', p), Date.UTC(2020, 0, 2));
    assert.equal(fn('parse_timestamp', '2020-01-02T03:04', p), Date.UTC(2020, 0, 2, 3, 4));
    assert.equal(fn('parse_timestamp', '2020-01-02T03:04:05', p), Date.UTC(2020, 0, 2, 3, 4, 5));
    assert.equal(call('format_timestamp', [T.TIMESTAMP, T.STRING], Date.UTC(2020, 0, 2, 3, 4, 5), p), '2020-01-02T03:04:05');
    assert.equal(call('format_date', [T.DATE, T.STRING], 18263, p), '2020-01-02');
    assert.throws(() => fn('parse_timestamp', '2020-01-02T03', p), /unparsed text/);
  });
  it('rejects reserved characters and unknown letters', () => {
    assert.throws(() => call('format_date', [T.DATE, T.STRING], 0, 'yyyy#'), /reserved character/);
    assert.throws(() => call('format_date', [T.DATE, T.STRING], 0, "yyyy'"), /incomplete string literal/);
    assert.throws(() => call('format_date', [T.DATE, T.STRING], 0, 'yyyy]'), /without previous \[/);
  });
  it('parses adjacent numeric fields and signed years', () => {
    assert.equal(fn('parse_date', '20200229', 'yyyyMMdd'), 18321);
    assert.equal(fn('parse_time', '235959', 'HHmmss'), 86399000);
    assert.throws(() => fn('parse_date', '2020-+1-01', 'yyyy-MM-dd'), /could not be parsed/);
  });
});

describe('time zones', () => {
  it('resolves DST gaps and overlaps as java.time does, and offsets across transitions', async () => {
    const { localToInstant, offsetAt, zoneOf } = await import('../../src/runtime/functions/lib/zones.js');
    const la = zoneOf('America/Los_Angeles');
    // 02:30 on 2021-03-14 does not exist: shifted forward to 03:30 PDT
    assert.equal(localToInstant(la, Date.UTC(2021, 2, 14, 2, 30)), Date.UTC(2021, 2, 14, 10, 30));
    // 01:30 on 2021-11-07 happens twice: the earlier (PDT) instant
    assert.equal(localToInstant(la, Date.UTC(2021, 10, 7, 1, 30)), Date.UTC(2021, 10, 7, 8, 30));
    assert.equal(offsetAt(la, Date.UTC(2021, 2, 14, 9, 59, 59)), -8 * 3600000);
    assert.equal(offsetAt(la, Date.UTC(2021, 2, 14, 10)), -7 * 3600000);
    assert.equal(offsetAt(zoneOf('UTC+05:30'), 0), 5.5 * 3600000);
    assert.equal(offsetAt(zoneOf('Asia/Kolkata'), 0), 5.5 * 3600000);
    assert.throws(() => zoneOf('Nowhere/Special'), /Unknown time-zone ID/);
  });
});
