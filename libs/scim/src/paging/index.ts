export { listResponse } from './list-response.builder';
export type { ListResponse } from './list-response.builder';
export { parseListQuery } from './list-query.parser';
export type { ListQuery, ListQueryLimits } from './list-query.parser';
export { parseSearchRequest } from './search-request.parser';
