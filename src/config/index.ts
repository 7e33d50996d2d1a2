// The config module's public surface.
export { ConfigError, defaultConfig, loadConfig, parseConfig, parseConfigText } from './load.js';
export type { ConfigProblem } from './load.js';
export { ConfigSchema } from './schema.js';
export type { Config, ConfigInput, IdentityConfig, Policy, TargetConfig } from './schema.js';
export {
  DurationError,
  formatDurationShort,
  formatIsoDuration,
  parseDuration,
} from './duration.js';
export { periodEnd, periodStart } from './period.js';
export { effectivePolicy, ruleState } from './effective.js';
export type { EffectivePolicy, RuleState } from './effective.js';
