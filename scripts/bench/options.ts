import type { Dialect } from '@nest-scim/persistence';

export interface BenchOptions {
  mode: 'small' | 'default' | 'issue' | 'large';
  users: number;
  groups: number;
  memberships: number;
  concurrency: number;
  dialects: Dialect[];
  seed: number;
  /** Populations at which `userName eq` latency is probed (seeded up to each). */
  lookupPopulations: number[];
  lookupSamples: number;
  /** Members of the big group in the group-size probe; 0 skips the probe. */
  bigGroup: number;
  groupProbeIterations: number;
  peer: boolean;
  floor: boolean;
  mysqlUrl: string;
  /** When set, InnoDB's buffer pool is resized to this many MiB for the run (SET GLOBAL), then put back. */
  mysqlBufferPoolMiB?: number;
  logLevel: string;
  /** When set, the server processes run with --cpu-prof and write their profiles there. */
  profileDir?: string;
  /** Where the report goes; undefined writes none (the small mode's default). */
  report?: string;
  command: string;
}

const USAGE = `Usage: npm run bench -- [options]

  (default)               3,000 users, 60 groups, 12,000 memberships; probes at 10,000 and 100,000 users and a
                          50,000-member group (a few minutes on an idle 2-core machine)
  --small                 300 users, our server only: a correctness check for CI (no peer, floor or report)
  --issue-sizes           issue 6's configuration: 10,000 users, 200 groups, 40,000 memberships
  --large                 a 100,000-user sync (the peak-RSS target), 100,000 memberships
  --users N               users in the initial cycle
  --groups N              groups
  --memberships N         memberships added in the initial cycle
  --concurrency N         requests in flight, as Entra's parallel connections (default 8)
  --dialect D             sqlite, mysql or both (default both)
  --seed N                seed of the workload (default 1)
  --lookup-at N,M         populations for the userName-eq probe (default 10000,100000)
  --big-group N           members of the big group in the group-size probe (default 50000; 0 skips)
  --no-peer / --no-floor  skip the scimmy peer / the bare node:http floor (--peer / --floor add them to --small)
  --mysql-url URL         MySQL/MariaDB server to make scim_bench_<random> on (default mysql://root@127.0.0.1:3306)
  --mysql-buffer-pool MiB resize InnoDB's buffer pool (SET GLOBAL innodb_buffer_pool_size) for the run and put the
                          previous size back afterwards; the server's default of 128 MiB holds less than a
                          100,000-user population, whose lookups then read from disk
  --log-level L           the server's LOG_LEVEL (default info, as in production)
  --profile DIR           run each server with --cpu-prof, profiles written to DIR (figures then include the profiler)
  --report FILE           write the report there (default BENCHMARKS.md; the small mode writes none unless asked)
  --no-report             write no report`;

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, got '${value}'\n\n${USAGE}`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const mode = argv.includes('--small')
    ? 'small'
    : argv.includes('--large')
      ? 'large'
      : argv.includes('--issue-sizes')
        ? 'issue'
        : 'default';
  // Every size keeps the issue's shape: four memberships per user, 200 members per group.
  const sizes = {
    small: { users: 300, groups: 6, memberships: 1200, lookup: [1000], bigGroup: 1000, iterations: 10, samples: 50 },
    default: {
      users: 3000,
      groups: 60,
      memberships: 12000,
      lookup: [10000, 100000],
      bigGroup: 50000,
      iterations: 60,
      samples: 300,
    },
    issue: {
      users: 10000,
      groups: 200,
      memberships: 40000,
      lookup: [10000, 100000],
      bigGroup: 50000,
      iterations: 60,
      samples: 300,
    },
    large: {
      users: 100000,
      groups: 500,
      memberships: 100000,
      lookup: [100000],
      bigGroup: 50000,
      iterations: 60,
      samples: 300,
    },
  }[mode];
  const options: BenchOptions = {
    mode,
    users: sizes.users,
    groups: sizes.groups,
    memberships: sizes.memberships,
    concurrency: 8,
    dialects: ['sqlite', 'mysql'],
    seed: 1,
    lookupPopulations: sizes.lookup,
    lookupSamples: sizes.samples,
    bigGroup: sizes.bigGroup,
    groupProbeIterations: sizes.iterations,
    // The small mode is a correctness check of our server: no peer, no floor unless asked for.
    peer: mode !== 'small',
    floor: mode !== 'small',
    mysqlUrl: process.env.SCIM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    logLevel: 'info',
    report: mode === 'small' ? undefined : 'BENCHMARKS.md',
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    switch (arg) {
      case '--small':
      case '--large':
      case '--issue-sizes':
        break;
      case '--peer':
        options.peer = true;
        break;
      case '--floor':
        options.floor = true;
        break;
      case '--users':
        options.users = positiveInt(arg, value());
        break;
      case '--groups':
        options.groups = positiveInt(arg, value());
        break;
      case '--memberships':
        options.memberships = positiveInt(arg, value());
        break;
      case '--concurrency':
        options.concurrency = Math.max(1, positiveInt(arg, value()));
        break;
      case '--seed':
        options.seed = positiveInt(arg, value());
        break;
      case '--dialect': {
        const d = value();
        if (d === 'both') options.dialects = ['sqlite', 'mysql'];
        else if (d === 'sqlite' || d === 'mysql') options.dialects = [d];
        else throw new Error(`--dialect takes sqlite, mysql or both, got '${d}'`);
        break;
      }
      case '--lookup-at':
        options.lookupPopulations = (value() ?? '')
          .split(',')
          .filter(Boolean)
          .map((n) => positiveInt(arg, n));
        break;
      case '--big-group':
        options.bigGroup = positiveInt(arg, value());
        break;
      case '--no-peer':
        options.peer = false;
        break;
      case '--no-floor':
        options.floor = false;
        break;
      case '--mysql-url':
        options.mysqlUrl = value() ?? '';
        break;
      case '--mysql-buffer-pool':
        options.mysqlBufferPoolMiB = Math.max(8, positiveInt(arg, value()));
        break;
      case '--log-level':
        options.logLevel = value() ?? 'info';
        break;
      case '--profile':
        options.profileDir = value();
        break;
      case '--report':
        options.report = value();
        break;
      case '--no-report':
        options.report = undefined;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option '${arg}'\n\n${USAGE}`);
    }
  }
  options.memberships = Math.min(options.memberships, options.users * options.groups);
  return options;
}
