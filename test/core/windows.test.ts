import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { checkWindowsDoNotOverlap, parseDailyWindow, parseWeeklyWindow } from '../../lib/core/private/windows';

const scope = new Construct(Testing.app(), 'Db');

describe('maintenance and backup windows', () => {
  test('parses a daily window and its length', () => {
    expect(parseDailyWindow(scope, 'backupWindow', '03:00-04:00').minutes).toBe(60);
    expect(parseDailyWindow(scope, 'backupWindow', '23:30-00:15').minutes).toBe(45);
  });

  test('parses a weekly window, also across the week boundary', () => {
    expect(parseWeeklyWindow(scope, 'maintenanceWindow', 'sun:04:00-sun:05:00').minutes).toBe(60);
    expect(parseWeeklyWindow(scope, 'maintenanceWindow', 'sat:23:00-sun:01:00').minutes).toBe(120);
  });

  test.each(['3:00-04:00', '03:00-24:00', '03:00', 'mon:03:00-mon:04:00'])('rejects the malformed daily window %s', (w) => {
    expect(() => parseDailyWindow(scope, 'backupWindow', w)).toThrow(
      `Construct Db: backupWindow must be a daily UTC window "hh24:mi-hh24:mi", e.g. "03:00-04:00", got "${w}"`,
    );
  });

  test.each(['sun:04:00-05:00', 'sunday:04:00-sun:05:00', '04:00-05:00'])('rejects the malformed weekly window %s', (w) => {
    expect(() => parseWeeklyWindow(scope, 'maintenanceWindow', w)).toThrow(/maintenanceWindow must be a weekly UTC window/);
  });

  test('rejects windows under 30 minutes', () => {
    expect(() => parseDailyWindow(scope, 'backupWindow', '03:00-03:20')).toThrow(
      'Construct Db: backupWindow must span at least 30 minutes, got "03:00-03:20"',
    );
    expect(() => parseWeeklyWindow(scope, 'maintenanceWindow', 'sun:04:00-sun:04:10')).toThrow(/at least 30 minutes/);
  });

  test('accepts the guides’ windows: backup 03:00-04:00 daily, maintenance Sunday 04:00-05:00', () => {
    const backup = parseDailyWindow(scope, 'backupWindow', '03:00-04:00');
    const maintenance = parseWeeklyWindow(scope, 'maintenanceWindow', 'sun:04:00-sun:05:00');
    expect(() => checkWindowsDoNotOverlap(scope, backup, 'backupWindow', maintenance, 'maintenanceWindow')).not.toThrow();
  });

  test('rejects a daily window that overlaps the weekly one on its day', () => {
    const backup = parseDailyWindow(scope, 'backupWindow', '04:30-05:30');
    const maintenance = parseWeeklyWindow(scope, 'maintenanceWindow', 'wed:05:00-wed:06:00');
    expect(() => checkWindowsDoNotOverlap(scope, backup, 'backupWindow', maintenance, 'maintenanceWindow')).toThrow(
      'Construct Db: backupWindow "04:30-05:30" overlaps maintenanceWindow "wed:05:00-wed:06:00"; the service rejects overlapping windows, move one of them',
    );
  });

  test('detects overlap across midnight and the week boundary', () => {
    const backup = parseDailyWindow(scope, 'backupWindow', '23:45-00:30');
    const maintenance = parseWeeklyWindow(scope, 'maintenanceWindow', 'sun:00:00-sun:01:00');
    expect(() => checkWindowsDoNotOverlap(scope, backup, 'backupWindow', maintenance, 'maintenanceWindow')).toThrow(/overlaps/);
  });
});
