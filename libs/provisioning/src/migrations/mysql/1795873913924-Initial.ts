import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795873913924 implements MigrationInterface {
  name = 'Initial1795873913924';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`user_groups\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`name_normalized\` varchar(255) NOT NULL, \`description\` varchar(200) NULL, \`built_in\` varchar(32) NULL, \`managed\` tinyint NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_user_groups_built_in\` (\`built_in\`), UNIQUE INDEX \`uq_user_groups_name_normalized\` (\`name_normalized\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`users\` (\`id\` varchar(36) NOT NULL, \`login\` varchar(255) NOT NULL, \`login_normalized\` varchar(255) NOT NULL, \`name\` varchar(255) NOT NULL, \`email\` varchar(255) NULL, \`active\` tinyint NOT NULL, \`local\` tinyint NOT NULL, \`external_login\` varchar(255) NULL, \`external_login_normalized\` varchar(255) NULL, \`external_provider\` varchar(32) NULL, \`managed\` tinyint NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`last_connection_date\` datetime(3) NULL, UNIQUE INDEX \`uq_users_external_login_normalized\` (\`external_login_normalized\`), UNIQUE INDEX \`uq_users_login_normalized\` (\`login_normalized\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`group_members\` (\`group_id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_group_members_user_id\` (\`user_id\`), PRIMARY KEY (\`group_id\`, \`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`group_permissions\` (\`group_id\` varchar(36) NOT NULL, \`permission\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_group_permissions_permission\` (\`permission\`), PRIMARY KEY (\`group_id\`, \`permission\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`user_permissions\` (\`user_id\` varchar(36) NOT NULL, \`permission\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_user_permissions_permission\` (\`permission\`), PRIMARY KEY (\`user_id\`, \`permission\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`sign_in_throttle\` (\`subject_hash\` varchar(64) NOT NULL, \`failures\` int NOT NULL, \`window_started_at\` datetime(3) NOT NULL, \`blocked_until\` datetime(3) NULL, PRIMARY KEY (\`subject_hash\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`user_passwords\` (\`user_id\` varchar(36) NOT NULL, \`hash\` varchar(255) NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`user_sessions\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`token_hash\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`ix_user_sessions_user_id\` (\`user_id\`), UNIQUE INDEX \`uq_user_sessions_token_hash\` (\`token_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`user_tokens\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`token_hash\` varchar(96) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NULL, \`last_connection_date\` datetime(3) NULL, UNIQUE INDEX \`uq_user_tokens_user_id_name\` (\`user_id\`, \`name\`), UNIQUE INDEX \`uq_user_tokens_token_hash\` (\`token_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`installed_license\` (\`slot\` varchar(16) NOT NULL, \`license_key\` text NOT NULL, \`installed_at\` datetime(3) NOT NULL, PRIMARY KEY (\`slot\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`internal_properties\` (\`property_key\` varchar(100) NOT NULL, \`property_value\` text NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`property_key\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`saml_settings\` (\`setting_key\` varchar(100) NOT NULL, \`setting_value\` text NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`setting_key\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`saml_authn_requests\` (\`request_id\` varchar(100) NOT NULL, \`purpose\` varchar(16) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`ix_saml_authn_requests_expires_at\` (\`expires_at\`), PRIMARY KEY (\`request_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`saml_message_ids\` (\`message_id\` varchar(255) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`ix_saml_message_ids_expires_at\` (\`expires_at\`), PRIMARY KEY (\`message_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scim_users\` (\`scim_id\` varchar(36) NOT NULL, \`user_id\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_scim_users_user_id\` (\`user_id\`), PRIMARY KEY (\`scim_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scim_user_emails\` (\`user_id\` varchar(64) NOT NULL, \`position\` int NOT NULL, \`value\` varchar(320) NOT NULL, \`value_normalized\` varchar(320) NOT NULL, \`type\` varchar(255) NULL, \`type_normalized\` varchar(255) NULL, \`is_primary\` tinyint NOT NULL, INDEX \`ix_scim_user_emails_value\` (\`value_normalized\`), PRIMARY KEY (\`user_id\`, \`position\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scim_user_profiles\` (\`user_id\` varchar(64) NOT NULL, \`user_name\` varchar(255) NOT NULL, \`user_name_normalized\` varchar(255) NOT NULL, \`active\` tinyint NOT NULL, \`external_id\` varchar(255) NULL, \`display_name\` varchar(255) NULL, \`display_name_normalized\` varchar(255) NULL, \`given_name\` varchar(255) NULL, \`family_name\` varchar(255) NULL, \`given_name_normalized\` varchar(255) NULL, \`family_name_normalized\` varchar(255) NULL, \`employee_number\` varchar(255) NULL, \`manager_id\` varchar(255) NULL, \`document\` text NOT NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_scim_user_profiles_updated\` (\`updated_at\`, \`user_id\`), INDEX \`ix_scim_user_profiles_created\` (\`created_at\`, \`user_id\`), INDEX \`ix_scim_user_profiles_external_id\` (\`external_id\`), UNIQUE INDEX \`uq_scim_user_profiles_user_name\` (\`user_name_normalized\`), PRIMARY KEY (\`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scim_audit_events\` (\`id\` varchar(36) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`request_id\` varchar(64) NULL, \`token_id\` varchar(36) NULL, \`actor_user_id\` varchar(36) NULL, \`actor_login\` varchar(255) NULL, \`action\` varchar(16) NOT NULL, \`resource_type\` varchar(16) NOT NULL, \`resource_id\` varchar(64) NOT NULL, \`internal_id\` varchar(64) NULL, \`attributes\` text NOT NULL, \`members\` text NULL, \`ignored\` text NULL, INDEX \`ix_scim_audit_events_token\` (\`token_id\`), INDEX \`ix_scim_audit_events_resource\` (\`resource_type\`, \`resource_id\`), INDEX \`ix_scim_audit_events_occurred\` (\`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scim_groups\` (\`scim_id\` varchar(36) NOT NULL, \`group_id\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_scim_groups_group_id\` (\`group_id\`), PRIMARY KEY (\`scim_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `CREATE TABLE \`scim_group_profiles\` (\`group_id\` varchar(64) NOT NULL, \`display_name\` varchar(255) NOT NULL, \`display_name_normalized\` varchar(255) NOT NULL, \`external_id\` varchar(255) NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_scim_group_profiles_updated\` (\`updated_at\`, \`group_id\`), INDEX \`ix_scim_group_profiles_created\` (\`created_at\`, \`group_id\`), INDEX \`ix_scim_group_profiles_external_id\` (\`external_id\`), INDEX \`ix_scim_group_profiles_display_name\` (\`display_name_normalized\`), PRIMARY KEY (\`group_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
    await queryRunner.query(
      `ALTER TABLE \`group_members\` ADD CONSTRAINT \`FK_2c840df5db52dc6b4a1b0b69c6e\` FOREIGN KEY (\`group_id\`) REFERENCES \`user_groups\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`group_members\` ADD CONSTRAINT \`FK_20a555b299f75843aa53ff8b0ee\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`group_permissions\` ADD CONSTRAINT \`FK_3924be6485a5b5d0d2fe1a94c08\` FOREIGN KEY (\`group_id\`) REFERENCES \`user_groups\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_permissions\` ADD CONSTRAINT \`FK_3495bd31f1862d02931e8e8d2e8\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_passwords\` ADD CONSTRAINT \`FK_69bf155ad044d776976470eb032\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_sessions\` ADD CONSTRAINT \`FK_e9658e959c490b0a634dfc54783\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_tokens\` ADD CONSTRAINT \`FK_9e144a67be49e5bba91195ef5de\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`user_tokens\` DROP FOREIGN KEY \`FK_9e144a67be49e5bba91195ef5de\``);
    await queryRunner.query(`ALTER TABLE \`user_sessions\` DROP FOREIGN KEY \`FK_e9658e959c490b0a634dfc54783\``);
    await queryRunner.query(`ALTER TABLE \`user_passwords\` DROP FOREIGN KEY \`FK_69bf155ad044d776976470eb032\``);
    await queryRunner.query(`ALTER TABLE \`user_permissions\` DROP FOREIGN KEY \`FK_3495bd31f1862d02931e8e8d2e8\``);
    await queryRunner.query(`ALTER TABLE \`group_permissions\` DROP FOREIGN KEY \`FK_3924be6485a5b5d0d2fe1a94c08\``);
    await queryRunner.query(`ALTER TABLE \`group_members\` DROP FOREIGN KEY \`FK_20a555b299f75843aa53ff8b0ee\``);
    await queryRunner.query(`ALTER TABLE \`group_members\` DROP FOREIGN KEY \`FK_2c840df5db52dc6b4a1b0b69c6e\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_group_profiles_display_name\` ON \`scim_group_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_group_profiles_external_id\` ON \`scim_group_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_group_profiles_created\` ON \`scim_group_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_group_profiles_updated\` ON \`scim_group_profiles\``);
    await queryRunner.query(`DROP TABLE \`scim_group_profiles\``);
    await queryRunner.query(`DROP INDEX \`uq_scim_groups_group_id\` ON \`scim_groups\``);
    await queryRunner.query(`DROP TABLE \`scim_groups\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_audit_events_occurred\` ON \`scim_audit_events\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_audit_events_resource\` ON \`scim_audit_events\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_audit_events_token\` ON \`scim_audit_events\``);
    await queryRunner.query(`DROP TABLE \`scim_audit_events\``);
    await queryRunner.query(`DROP INDEX \`uq_scim_user_profiles_user_name\` ON \`scim_user_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_user_profiles_external_id\` ON \`scim_user_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_user_profiles_created\` ON \`scim_user_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_user_profiles_updated\` ON \`scim_user_profiles\``);
    await queryRunner.query(`DROP TABLE \`scim_user_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_user_emails_value\` ON \`scim_user_emails\``);
    await queryRunner.query(`DROP TABLE \`scim_user_emails\``);
    await queryRunner.query(`DROP INDEX \`uq_scim_users_user_id\` ON \`scim_users\``);
    await queryRunner.query(`DROP TABLE \`scim_users\``);
    await queryRunner.query(`DROP INDEX \`ix_saml_message_ids_expires_at\` ON \`saml_message_ids\``);
    await queryRunner.query(`DROP TABLE \`saml_message_ids\``);
    await queryRunner.query(`DROP INDEX \`ix_saml_authn_requests_expires_at\` ON \`saml_authn_requests\``);
    await queryRunner.query(`DROP TABLE \`saml_authn_requests\``);
    await queryRunner.query(`DROP TABLE \`saml_settings\``);
    await queryRunner.query(`DROP TABLE \`internal_properties\``);
    await queryRunner.query(`DROP TABLE \`installed_license\``);
    await queryRunner.query(`DROP INDEX \`uq_user_tokens_token_hash\` ON \`user_tokens\``);
    await queryRunner.query(`DROP INDEX \`uq_user_tokens_user_id_name\` ON \`user_tokens\``);
    await queryRunner.query(`DROP TABLE \`user_tokens\``);
    await queryRunner.query(`DROP INDEX \`uq_user_sessions_token_hash\` ON \`user_sessions\``);
    await queryRunner.query(`DROP INDEX \`ix_user_sessions_user_id\` ON \`user_sessions\``);
    await queryRunner.query(`DROP TABLE \`user_sessions\``);
    await queryRunner.query(`DROP TABLE \`user_passwords\``);
    await queryRunner.query(`DROP TABLE \`sign_in_throttle\``);
    await queryRunner.query(`DROP INDEX \`ix_user_permissions_permission\` ON \`user_permissions\``);
    await queryRunner.query(`DROP TABLE \`user_permissions\``);
    await queryRunner.query(`DROP INDEX \`ix_group_permissions_permission\` ON \`group_permissions\``);
    await queryRunner.query(`DROP TABLE \`group_permissions\``);
    await queryRunner.query(`DROP INDEX \`ix_group_members_user_id\` ON \`group_members\``);
    await queryRunner.query(`DROP TABLE \`group_members\``);
    await queryRunner.query(`DROP INDEX \`uq_users_login_normalized\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users_external_login_normalized\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_user_groups_name_normalized\` ON \`user_groups\``);
    await queryRunner.query(`DROP INDEX \`uq_user_groups_built_in\` ON \`user_groups\``);
    await queryRunner.query(`DROP TABLE \`user_groups\``);
  }
}
