export * from './dialect';
export * from './like';
export * from './timestamp-column.decorator';
export * from './transaction';
export * from './data-source-options';
export * from './database-timeouts';
export * from './batched-delete';
export * from './migration-lock';
