export * from './errors/scim-error';
export * from './filter';
export * from './schema';
export * from './resource';
export * from './patch';
export * from './paging';
export * from './http';
