import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (MySQL/MariaDB); the table prefix stands as pfx_placeholder_. */
export class AuthInitial1795873913925 extends TableSetMigration {
  readonly name = 'AuthInitial1795873913925';

  protected readonly tables: TableCreation[] = [
    {
      table: 'sign_in_throttle',
      columns: ['subject_hash', 'failures', 'window_started_at', 'blocked_until'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_sign_in_throttle\` (\`subject_hash\` varchar(64) NOT NULL, \`failures\` int NOT NULL, \`window_started_at\` datetime(3) NOT NULL, \`blocked_until\` datetime(3) NULL, PRIMARY KEY (\`subject_hash\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'user_passwords',
      columns: ['user_id', 'hash', 'updated_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_user_passwords\` (\`user_id\` varchar(36) NOT NULL, \`hash\` varchar(255) NOT NULL, \`updated_at\` datetime(3) NOT NULL, CONSTRAINT \`pfx_placeholder_FK_69bf155ad044d776976470eb032\` FOREIGN KEY (\`user_id\`) REFERENCES \`pfx_placeholder_users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY (\`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'user_sessions',
      columns: ['id', 'user_id', 'token_hash', 'created_at', 'expires_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_user_sessions\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`token_hash\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_user_sessions_user_id\` (\`user_id\`), UNIQUE INDEX \`pfx_placeholder_uq_user_sessions_token_hash\` (\`token_hash\`), CONSTRAINT \`pfx_placeholder_FK_e9658e959c490b0a634dfc54783\` FOREIGN KEY (\`user_id\`) REFERENCES \`pfx_placeholder_users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'user_tokens',
      columns: ['id', 'user_id', 'name', 'token_hash', 'created_at', 'expires_at', 'last_connection_date'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_user_tokens\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`token_hash\` varchar(96) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NULL, \`last_connection_date\` datetime(3) NULL, UNIQUE INDEX \`pfx_placeholder_uq_user_tokens_user_id_name\` (\`user_id\`, \`name\`), UNIQUE INDEX \`pfx_placeholder_uq_user_tokens_token_hash\` (\`token_hash\`), CONSTRAINT \`pfx_placeholder_FK_9e144a67be49e5bba91195ef5de\` FOREIGN KEY (\`user_id\`) REFERENCES \`pfx_placeholder_users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
  ];
}
