// zod types that several config schemas share: IANA zone names and date-time patterns.
import { z } from 'zod';
import { compileTimePattern } from './time-pattern.js';
import { assertZone } from './time.js';

/** An IANA time zone name this Node.js knows. */
export const ZoneName = z.string().refine(
  (zone) => {
    try {
      assertZone(zone);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone name such as Europe/Berlin' },
);

/** A date-time pattern in the SimpleDateFormat style (`dd.MM.yyyy HH:mm`). */
export const TimePatternText = z.string().superRefine((pattern, ctx) => {
  try {
    compileTimePattern(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
