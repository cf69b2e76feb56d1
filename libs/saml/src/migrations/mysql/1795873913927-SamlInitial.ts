import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (MySQL/MariaDB); the table prefix stands as pfx_placeholder_. */
export class SamlInitial1795873913927 extends TableSetMigration {
  readonly name = 'SamlInitial1795873913927';

  protected readonly tables: TableCreation[] = [
    {
      table: 'internal_properties',
      columns: ['property_key', 'property_value', 'updated_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_internal_properties\` (\`property_key\` varchar(100) NOT NULL, \`property_value\` text NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`property_key\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'saml_settings',
      columns: ['setting_key', 'setting_value', 'updated_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_saml_settings\` (\`setting_key\` varchar(100) NOT NULL, \`setting_value\` text NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`setting_key\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'saml_authn_requests',
      columns: ['request_id', 'purpose', 'created_at', 'expires_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_saml_authn_requests\` (\`request_id\` varchar(100) NOT NULL, \`purpose\` varchar(16) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_saml_authn_requests_expires_at\` (\`expires_at\`), PRIMARY KEY (\`request_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'saml_message_ids',
      columns: ['message_id', 'expires_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_saml_message_ids\` (\`message_id\` varchar(255) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_saml_message_ids_expires_at\` (\`expires_at\`), PRIMARY KEY (\`message_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
  ];
}
