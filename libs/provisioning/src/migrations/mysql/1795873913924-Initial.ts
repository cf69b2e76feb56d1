import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (MySQL/MariaDB); the table prefix stands as pfx_placeholder_. */
export class Initial1795873913924 extends TableSetMigration {
  readonly name = 'Initial1795873913924';

  protected readonly tables: TableCreation[] = [
    {
      table: 'user_groups',
      columns: ['id', 'name', 'name_normalized', 'description', 'built_in', 'managed', 'created_at', 'updated_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_user_groups\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`name_normalized\` varchar(255) NOT NULL, \`description\` varchar(200) NULL, \`built_in\` varchar(32) NULL, \`managed\` tinyint NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`pfx_placeholder_uq_user_groups_built_in\` (\`built_in\`), UNIQUE INDEX \`pfx_placeholder_uq_user_groups_name_normalized\` (\`name_normalized\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'users',
      columns: [
        'id',
        'login',
        'login_normalized',
        'name',
        'email',
        'active',
        'local',
        'external_login',
        'external_login_normalized',
        'external_provider',
        'managed',
        'created_at',
        'updated_at',
        'last_connection_date',
      ],
      statements: [
        `CREATE TABLE \`pfx_placeholder_users\` (\`id\` varchar(36) NOT NULL, \`login\` varchar(255) NOT NULL, \`login_normalized\` varchar(255) NOT NULL, \`name\` varchar(255) NOT NULL, \`email\` varchar(255) NULL, \`active\` tinyint NOT NULL, \`local\` tinyint NOT NULL, \`external_login\` varchar(255) NULL, \`external_login_normalized\` varchar(255) NULL, \`external_provider\` varchar(32) NULL, \`managed\` tinyint NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`last_connection_date\` datetime(3) NULL, UNIQUE INDEX \`pfx_placeholder_uq_users_external_login_normalized\` (\`external_login_normalized\`), UNIQUE INDEX \`pfx_placeholder_uq_users_login_normalized\` (\`login_normalized\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'group_members',
      columns: ['group_id', 'user_id', 'created_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_group_members\` (\`group_id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_group_members_user_id\` (\`user_id\`), CONSTRAINT \`pfx_placeholder_FK_2c840df5db52dc6b4a1b0b69c6e\` FOREIGN KEY (\`group_id\`) REFERENCES \`pfx_placeholder_user_groups\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT \`pfx_placeholder_FK_20a555b299f75843aa53ff8b0ee\` FOREIGN KEY (\`user_id\`) REFERENCES \`pfx_placeholder_users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY (\`group_id\`, \`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'group_permissions',
      columns: ['group_id', 'permission', 'created_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_group_permissions\` (\`group_id\` varchar(36) NOT NULL, \`permission\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_group_permissions_permission\` (\`permission\`), CONSTRAINT \`pfx_placeholder_FK_3924be6485a5b5d0d2fe1a94c08\` FOREIGN KEY (\`group_id\`) REFERENCES \`pfx_placeholder_user_groups\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY (\`group_id\`, \`permission\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
    {
      table: 'user_permissions',
      columns: ['user_id', 'permission', 'created_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_user_permissions\` (\`user_id\` varchar(36) NOT NULL, \`permission\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`pfx_placeholder_ix_user_permissions_permission\` (\`permission\`), CONSTRAINT \`pfx_placeholder_FK_3495bd31f1862d02931e8e8d2e8\` FOREIGN KEY (\`user_id\`) REFERENCES \`pfx_placeholder_users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY (\`user_id\`, \`permission\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
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
    {
      table: 'installed_license',
      columns: ['slot', 'license_key', 'installed_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_installed_license\` (\`slot\` varchar(16) NOT NULL, \`license_key\` text NOT NULL, \`installed_at\` datetime(3) NOT NULL, PRIMARY KEY (\`slot\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ],
    },
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
    {
      table: 'scim_users',
      columns: ['scim_id', 'user_id', 'created_at'],
      statements: [
        `CREATE TABLE \`pfx_placeholder_scim_users\` (\`scim_id\` varchar(36) NOT NULL, \`user_id\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`pfx_placeholder_uq_scim_users_user_id\` (\`user_id\`), PRIMARY KEY (\`scim_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
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
  ];
}
