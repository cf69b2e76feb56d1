import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (MySQL/MariaDB); the table prefix stands as pfx_placeholder_. */
export class ProvisioningInitial1795873913928 extends TableSetMigration {
  readonly name = 'ProvisioningInitial1795873913928';

  protected readonly tables: TableCreation[] = [
    {
      table: 'scim_users',
      columns: ['scim_id', 'user_id', 'created_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_users\` (\`scim_id\` varchar(36) NOT NULL, \`user_id\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`pfx_placeholder_uq_scim_users_user_id\` (\`user_id\`), PRIMARY KEY (\`scim_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'scim_groups',
      columns: ['scim_id', 'group_id', 'created_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_groups\` (\`scim_id\` varchar(36) NOT NULL, \`group_id\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`pfx_placeholder_uq_scim_groups_group_id\` (\`group_id\`), PRIMARY KEY (\`scim_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'scim_group_profiles',
      columns: [
        'group_id',
        'display_name',
        'display_name_normalized',
        'external_id',
        'version',
        'created_at',
        'updated_at',
      ],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_group_profiles\` (\`group_id\` varchar(64) NOT NULL, \`display_name\` varchar(255) NOT NULL, \`display_name_normalized\` varchar(255) NOT NULL, \`external_id\` varchar(255) NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_scim_group_profiles_updated\` (\`updated_at\`, \`group_id\`), INDEX \`pfx_placeholder_ix_scim_group_profiles_created\` (\`created_at\`, \`group_id\`), INDEX \`pfx_placeholder_ix_scim_group_profiles_external_id\` (\`external_id\`), INDEX \`pfx_placeholder_ix_scim_group_profiles_display_name\` (\`display_name_normalized\`), PRIMARY KEY (\`group_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'scim_user_profiles',
      columns: [
        'user_id',
        'user_name',
        'user_name_normalized',
        'active',
        'external_id',
        'display_name',
        'display_name_normalized',
        'given_name',
        'family_name',
        'given_name_normalized',
        'family_name_normalized',
        'employee_number',
        'manager_id',
        'document',
        'version',
        'created_at',
        'updated_at',
      ],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_user_profiles\` (\`user_id\` varchar(64) NOT NULL, \`user_name\` varchar(255) NOT NULL, \`user_name_normalized\` varchar(255) NOT NULL, \`active\` tinyint NOT NULL, \`external_id\` varchar(255) NULL, \`display_name\` varchar(255) NULL, \`display_name_normalized\` varchar(255) NULL, \`given_name\` varchar(255) NULL, \`family_name\` varchar(255) NULL, \`given_name_normalized\` varchar(255) NULL, \`family_name_normalized\` varchar(255) NULL, \`employee_number\` varchar(255) NULL, \`manager_id\` varchar(255) NULL, \`document\` text NOT NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_scim_user_profiles_updated\` (\`updated_at\`, \`user_id\`), INDEX \`pfx_placeholder_ix_scim_user_profiles_created\` (\`created_at\`, \`user_id\`), INDEX \`pfx_placeholder_ix_scim_user_profiles_external_id\` (\`external_id\`), UNIQUE INDEX \`pfx_placeholder_uq_scim_user_profiles_user_name\` (\`user_name_normalized\`), PRIMARY KEY (\`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'scim_activity_records',
      columns: [
        'id',
        'occurred_at',
        'request_id',
        'method',
        'route',
        'resource_type',
        'resource_id',
        'subject',
        'operation',
        'member_changes',
        'status',
        'scim_type',
        'detail',
        'cause',
        'duration_ms',
      ],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_activity_records\` (\`id\` varchar(36) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`request_id\` varchar(64) NULL, \`method\` varchar(8) NOT NULL, \`route\` varchar(48) NOT NULL, \`resource_type\` varchar(16) NULL, \`resource_id\` varchar(64) NULL, \`subject\` varchar(255) NULL, \`operation\` varchar(16) NOT NULL, \`member_changes\` int NOT NULL, \`status\` int NOT NULL, \`scim_type\` varchar(32) NULL, \`detail\` varchar(512) NULL, \`cause\` varchar(32) NULL, \`duration_ms\` int NOT NULL, INDEX \`pfx_placeholder_ix_scim_activity_resource\` (\`resource_type\`, \`resource_id\`), INDEX \`pfx_placeholder_ix_scim_activity_occurred\` (\`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'scim_user_emails',
      columns: ['user_id', 'position', 'value', 'value_normalized', 'type', 'type_normalized', 'is_primary'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_user_emails\` (\`user_id\` varchar(64) NOT NULL, \`position\` int NOT NULL, \`value\` varchar(320) NOT NULL, \`value_normalized\` varchar(320) NOT NULL, \`type\` varchar(255) NULL, \`type_normalized\` varchar(255) NULL, \`is_primary\` tinyint NOT NULL, INDEX \`pfx_placeholder_ix_scim_user_emails_value\` (\`value_normalized\`), PRIMARY KEY (\`user_id\`, \`position\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'scim_audit_events',
      columns: [
        'id',
        'occurred_at',
        'request_id',
        'token_id',
        'actor_user_id',
        'actor_login',
        'action',
        'resource_type',
        'resource_id',
        'internal_id',
        'attributes',
        'members',
        'ignored',
      ],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_audit_events\` (\`id\` varchar(36) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`request_id\` varchar(64) NULL, \`token_id\` varchar(36) NULL, \`actor_user_id\` varchar(36) NULL, \`actor_login\` varchar(255) NULL, \`action\` varchar(16) NOT NULL, \`resource_type\` varchar(16) NOT NULL, \`resource_id\` varchar(64) NOT NULL, \`internal_id\` varchar(64) NULL, \`attributes\` text NOT NULL, \`members\` text NULL, \`ignored\` text NULL, INDEX \`pfx_placeholder_ix_scim_audit_events_token\` (\`token_id\`), INDEX \`pfx_placeholder_ix_scim_audit_events_resource\` (\`resource_type\`, \`resource_id\`), INDEX \`pfx_placeholder_ix_scim_audit_events_occurred\` (\`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
  ];
}
