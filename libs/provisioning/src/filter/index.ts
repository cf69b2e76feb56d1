export { compileFilter, sortKeyOf } from './filter-sql.compiler';
export type { CompiledFilter, CompileFilterOptions, SortKey } from './filter-sql.compiler';
