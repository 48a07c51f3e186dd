import { IConstruct } from 'constructs';
import { invalidCombination, invalidProp } from './errors';

/**
 * Maintenance and backup windows as RDS and ElastiCache write them:
 * weekly `ddd:hh24:mi-ddd:hh24:mi` (maintenance) and daily `hh24:mi-hh24:mi` (backup /
 * snapshot), in UTC. Both services reject windows under 30 minutes, and RDS and
 * ElastiCache reject a backup window that overlaps the maintenance window — at apply time.
 * These helpers reject them at synth time.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html
 */

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const TIME = '([01]\\d|2[0-3]):([0-5]\\d)';
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(sun|mon|tue|wed|thu|fri|sat):${TIME}-(sun|mon|tue|wed|thu|fri|sat):${TIME}$`, 'i');

/** A window as minute ranges within a week, [start, end), split where it wraps around. */
export interface ParsedWindow {
  readonly text: string;
  /** Length in minutes. */
  readonly minutes: number;
  /** Half-open ranges of minutes since Sunday 00:00, within [0, one week). */
  readonly weekRanges: Array<[number, number]>;
}

function rangesOf(start: number, length: number, period: number, repeat: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let r = 0; r < repeat; r++) {
    const s = (start + r * period) % MINUTES_PER_WEEK;
    const e = s + length;
    if (e <= MINUTES_PER_WEEK) {
      ranges.push([s, e]);
    } else {
      ranges.push([s, MINUTES_PER_WEEK], [0, e - MINUTES_PER_WEEK]);
    }
  }
  return ranges;
}

/** Parses and checks a daily `hh24:mi-hh24:mi` window of at least `minMinutes`. */
export function parseDailyWindow(scope: IConstruct, property: string, text: string, minMinutes = 30): ParsedWindow {
  const m = DAILY.exec(text);
  if (!m) {
    invalidProp(scope, property, 'be a daily UTC window "hh24:mi-hh24:mi", e.g. "03:00-04:00"', text);
  }
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const minutes = (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (minutes < minMinutes) {
    invalidProp(scope, property, `span at least ${minMinutes} minutes`, text);
  }
  return { text, minutes, weekRanges: rangesOf(start, minutes, MINUTES_PER_DAY, 7) };
}

/** Parses and checks a weekly `ddd:hh24:mi-ddd:hh24:mi` window of at least `minMinutes`. */
export function parseWeeklyWindow(scope: IConstruct, property: string, text: string, minMinutes = 30): ParsedWindow {
  const m = WEEKLY.exec(text);
  if (!m) {
    invalidProp(scope, property, 'be a weekly UTC window "ddd:hh24:mi-ddd:hh24:mi", e.g. "sun:04:00-sun:05:00"', text);
  }
  const start = DAYS.indexOf(m[1].toLowerCase()) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
  const end = DAYS.indexOf(m[4].toLowerCase()) * MINUTES_PER_DAY + Number(m[5]) * 60 + Number(m[6]);
  const minutes = (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  if (minutes < minMinutes) {
    invalidProp(scope, property, `span at least ${minMinutes} minutes`, text);
  }
  return { text, minutes, weekRanges: rangesOf(start, minutes, MINUTES_PER_WEEK, 1) };
}

function formatWeekMinute(minute: number): string {
  const m = ((minute % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const day = DAYS[Math.floor(m / MINUTES_PER_DAY)];
  const hh = String(Math.floor((m % MINUTES_PER_DAY) / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return `${day}:${hh}:${mm}`;
}

/** The same weekly window moved later by `minutes` (wrapping from Saturday to Sunday). */
export function shiftWeeklyWindow(window: ParsedWindow, minutes: number): ParsedWindow {
  const start = window.weekRanges[0][0] + minutes;
  const text = `${formatWeekMinute(start)}-${formatWeekMinute(start + window.minutes)}`;
  return { text, minutes: window.minutes, weekRanges: rangesOf(start % MINUTES_PER_WEEK, window.minutes, MINUTES_PER_WEEK, 1) };
}

/** Throws when two windows share any minute of the week. */
export function checkWindowsDoNotOverlap(
  scope: IConstruct,
  a: ParsedWindow,
  aProperty: string,
  b: ParsedWindow,
  bProperty: string,
): void {
  const overlaps = a.weekRanges.some(([as, ae]) => b.weekRanges.some(([bs, be]) => as < be && bs < ae));
  if (overlaps) {
    invalidCombination(
      scope,
      `${aProperty} "${a.text}" overlaps ${bProperty} "${b.text}"; the service rejects overlapping windows, move one of them`,
    );
  }
}
