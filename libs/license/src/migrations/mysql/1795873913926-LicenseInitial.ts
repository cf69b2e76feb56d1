import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (MySQL/MariaDB); the table prefix stands as pfx_placeholder_. */
export class LicenseInitial1795873913926 extends TableSetMigration {
  readonly name = 'LicenseInitial1795873913926';

  protected readonly tables: TableCreation[] = [
    {
      table: 'installed_license',
      columns: ['slot', 'license_key', 'installed_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_installed_license\` (\`slot\` varchar(16) NOT NULL, \`license_key\` text NOT NULL, \`installed_at\` datetime(3) NOT NULL, PRIMARY KEY (\`slot\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
  ];
}
