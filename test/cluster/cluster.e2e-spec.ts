/**
 * The cluster suite (needs `npm run cluster:up`; skipped with one line otherwise). One file, so its parts run one
 * after the other even in a parallel run: the faults and the mode switch would disturb a sync running beside them.
 */
import './galera-rules.cases';
import './entra-sync.cases';
import './shared-state.cases';
import './faults.cases';
