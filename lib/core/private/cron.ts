import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * Kubernetes CronJob schedules, parsed as the controller parses them (robfig/cron's standard
 * parser): five fields (minute hour day-of-month month day-of-week) with lists, ranges, steps,
 * month and weekday names, `?` for a day field, and the macros @yearly, @annually, @monthly,
 * @weekly, @daily, @midnight and @hourly. When both day fields are restricted, a day matches
 * either (cron's rule).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export interface CronSchedule {
  /** The schedule as written. */
  readonly text: string;
  /** The longest time between two consecutive runs, in minutes (over four years, leap day included). */
  readonly maxIntervalMinutes: number;
}

const MACROS: { [macro: string]: string } = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  readonly values: Set<number>;
  /** `*` or `?`: unrestricted, which matters for the day-of-month / day-of-week rule. */
  readonly star: boolean;
}

const RULE =
  'be a Kubernetes CronJob schedule: five fields "minute hour day-of-month month day-of-week" ' +
  '(e.g. "0 2 * * *" daily at 02:00 UTC, "30 4 * * 6" Saturdays at 04:30) or @hourly, @daily, @weekly, @monthly, @yearly';

/** Parses a schedule, or throws naming the construct, the property and the value. */
export function parseCronSchedule(scope: IConstruct, property: string, text: string): CronSchedule {
  const fail = (why: string): never => invalidProp(scope, property, `${RULE} (${why})`, text);
  if (typeof text !== 'string' || text.trim() === '') fail('it is empty');
  const trimmed = text.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) fail('no TZ= prefix: the time zone is the CronJob\'s timeZone, UTC');
  const expanded = trimmed.startsWith('@') ? MACROS[trimmed.toLowerCase()] ?? fail(`unknown macro ${trimmed}`) : trimmed;
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) fail(`${parts.length} fields`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = [
    parseField(parts[0], 0, 59, [], false, 'minute', fail),
    parseField(parts[1], 0, 23, [], false, 'hour', fail),
    parseField(parts[2], 1, 31, [], true, 'day of month', fail),
    parseField(parts[3], 1, 12, MONTHS, false, 'month', fail),
    parseField(parts[4], 0, 6, WEEKDAYS, true, 'day of week', fail),
  ];
  const maxIntervalMinutes = longestInterval(minute, hour, dayOfMonth, month, dayOfWeek);
  if (maxIntervalMinutes === undefined) fail('it never runs');
  return { text: trimmed, maxIntervalMinutes: maxIntervalMinutes! };
}

function parseField(
  text: string,
  min: number,
  max: number,
  names: string[],
  allowQuestionMark: boolean,
  what: string,
  fail: (why: string) => never,
): Field {
  if (text === '*' || (allowQuestionMark && text === '?')) return { values: range(min, max, 1), star: true };
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    // Month names count from 1, weekday names from 0.
    if (named >= 0) return named + min;
    if (!/^\d+$/.test(token)) return fail(`${what} "${token}" is not a number${names.length > 0 ? ' or name' : ''}`);
    const n = Number(token);
    if (n < min || n > max) return fail(`${what} ${n} is outside ${min}-${max}`);
    return n;
  };
  for (const item of text.split(',')) {
    const [base, stepText, extra] = item.split('/');
    if (extra !== undefined || base === '') fail(`${what} "${item}" is malformed`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) fail(`${what} step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (base === '*' || (allowQuestionMark && base === '?')) {
      [from, to] = [min, max];
    } else if (base.includes('-')) {
      const [a, b] = base.split('-');
      [from, to] = [value(a), value(b)];
      if (from > to) fail(`${what} range "${base}" runs backwards`);
    } else {
      from = value(base);
      // "5/15" means from 5 to the end, every 15.
      to = stepText !== undefined ? max : from;
    }
    range(from, to, step).forEach((n) => values.add(n));
  }
  return { values, star: false };
}

function range(from: number, to: number, step: number): Set<number> {
  const out = new Set<number>();
  for (let n = from; n <= to; n += step) out.add(n);
  return out;
}

/**
 * The longest gap between runs. Every matching day runs at the same times of day, so the gap
 * is the longest of: the largest gap within a day, and from the last run of a matching day to
 * the first of the next matching day, over four years from a leap year.
 */
function longestInterval(minute: Field, hour: Field, dayOfMonth: Field, month: Field, dayOfWeek: Field): number | undefined {
  const times: number[] = [];
  for (const h of [...hour.values].sort((a, b) => a - b)) {
    for (const m of [...minute.values].sort((a, b) => a - b)) times.push(h * 60 + m);
  }
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  const dayMinutes = 24 * 60;
  const start = Date.UTC(2028, 0, 1);
  let previousDay: number | undefined;
  let firstDay: number | undefined;
  const days = 4 * 366;
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * dayMinutes * 60000);
    const domMatch = dayOfMonth.values.has(date.getUTCDate());
    const dowMatch = dayOfWeek.values.has(date.getUTCDay());
    const dayMatches = dayOfMonth.star || dayOfWeek.star ? domMatch && dowMatch : domMatch || dowMatch;
    if (!dayMatches || !month.values.has(date.getUTCMonth() + 1)) continue;
    if (previousDay !== undefined) {
      longest = Math.max(longest, (d - previousDay) * dayMinutes + times[0] - times[times.length - 1]);
    }
    firstDay ??= d;
    previousDay = d;
  }
  // A schedule that matches one day in four years (29 February) still runs, just rarely.
  if (firstDay === undefined) return undefined;
  if (firstDay === previousDay) return days * dayMinutes;
  return longest;
}
