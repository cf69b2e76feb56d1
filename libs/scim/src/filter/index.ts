export * from './filter.ast';
export { parseFilter, DEFAULT_FILTER_MAX_DEPTH, DEFAULT_FILTER_MAX_LENGTH, MAX_FILTER_DEPTH } from './filter.parser';
export type { FilterLimits } from './filter.parser';
export { filterError, unsupportedAttributeError } from './filter.errors';
export { createFilterTargets } from './filter.targets';
export type { FilterTarget, FilterTargets, MultiValuedTarget, ScalarTarget, ScalarType } from './filter.targets';
export { formatFilter } from './filter.formatter';
