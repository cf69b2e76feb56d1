import { MigrationInterface, QueryRunner } from 'typeorm';

/** The SCIM activity records (every request, refused ones included), beside the tables of the initial migration. */
export class AddScimActivity1796540000000 implements MigrationInterface {
  name = 'AddScimActivity1796540000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`scim_activity_records\` (\`id\` varchar(36) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`request_id\` varchar(64) NULL, \`method\` varchar(8) NOT NULL, \`route\` varchar(48) NOT NULL, \`resource_type\` varchar(16) NULL, \`resource_id\` varchar(64) NULL, \`subject\` varchar(255) NULL, \`operation\` varchar(16) NOT NULL, \`member_changes\` int NOT NULL, \`status\` int NOT NULL, \`scim_type\` varchar(32) NULL, \`detail\` varchar(512) NULL, \`cause\` varchar(32) NULL, \`duration_ms\` int NOT NULL, INDEX \`ix_scim_activity_resource\` (\`resource_type\`, \`resource_id\`), INDEX \`ix_scim_activity_occurred\` (\`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_scim_activity_occurred\` ON \`scim_activity_records\``);
    await queryRunner.query(`DROP INDEX \`ix_scim_activity_resource\` ON \`scim_activity_records\``);
    await queryRunner.query(`DROP TABLE \`scim_activity_records\``);
  }
}
