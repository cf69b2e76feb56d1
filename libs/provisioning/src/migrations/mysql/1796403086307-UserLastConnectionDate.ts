import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserLastConnectionDate1796403086307 implements MigrationInterface {
  name = 'UserLastConnectionDate1796403086307';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`last_connection_date\` datetime(3) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`last_connection_date\``);
  }
}
