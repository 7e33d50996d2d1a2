// Builds rule metadata with the control references taken from the shared table.
import type { RuleId } from '../model/gap.js';
import { CONTROLS } from './controls.js';
import type { RuleMeta } from './types.js';

export function defineMeta(
  meta: Omit<RuleMeta, 'controls' | 'supported' | 'limitations'> &
    Partial<Pick<RuleMeta, 'supported' | 'limitations'>>,
): RuleMeta {
  return { supported: true, limitations: [], ...meta, controls: CONTROLS[meta.id as RuleId] };
}
