export { RequestsTable } from './RequestsTable';
export type { RequestColumn } from './RequestsTable';
