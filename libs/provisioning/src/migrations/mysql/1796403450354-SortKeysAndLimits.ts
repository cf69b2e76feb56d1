import { MigrationInterface, QueryRunner } from 'typeorm';

export class SortKeysAndLimits1796403450354 implements MigrationInterface {
  name = 'SortKeysAndLimits1796403450354';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`scim_audit_events\` ADD \`ignored\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`scim_user_emails\` ADD \`type_normalized\` varchar(255) NULL`);
    await queryRunner.query(`ALTER TABLE \`scim_user_profiles\` ADD \`display_name_normalized\` varchar(255) NULL`);
    await queryRunner.query(`ALTER TABLE \`scim_user_profiles\` ADD \`given_name_normalized\` varchar(255) NULL`);
    await queryRunner.query(`ALTER TABLE \`scim_user_profiles\` ADD \`family_name_normalized\` varchar(255) NULL`);
    // Widened in place (TypeORM would drop and re-add the column, losing its values).
    await queryRunner.query(`ALTER TABLE \`scim_user_emails\` MODIFY \`type\` varchar(255) NULL`);
    await queryRunner.query(
      `CREATE INDEX \`ix_scim_group_profiles_updated\` ON \`scim_group_profiles\` (\`updated_at\`, \`group_id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`ix_scim_user_profiles_updated\` ON \`scim_user_profiles\` (\`updated_at\`, \`user_id\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_scim_user_profiles_updated\` ON \`scim_user_profiles\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_group_profiles_updated\` ON \`scim_group_profiles\``);
    await queryRunner.query(`ALTER TABLE \`scim_user_emails\` MODIFY \`type\` varchar(64) NULL`);
    await queryRunner.query(`ALTER TABLE \`scim_user_profiles\` DROP COLUMN \`family_name_normalized\``);
    await queryRunner.query(`ALTER TABLE \`scim_user_profiles\` DROP COLUMN \`given_name_normalized\``);
    await queryRunner.query(`ALTER TABLE \`scim_user_profiles\` DROP COLUMN \`display_name_normalized\``);
    await queryRunner.query(`ALTER TABLE \`scim_user_emails\` DROP COLUMN \`type_normalized\``);
    await queryRunner.query(`ALTER TABLE \`scim_audit_events\` DROP COLUMN \`ignored\``);
  }
}
