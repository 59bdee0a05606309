import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console sign-in: an optional argon2id password per agent, server-side sessions (only the hash
 * of the session id is stored), one-time set-password links (also stored hashed) and the failed
 * sign-ins and reset requests that rate-limit guessing per account and per address.
 */
export class AddPasswordsAndSessions1796164159071 implements MigrationInterface {
  name = 'AddPasswordsAndSessions1796164159071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE agents ADD COLUMN password_hash text`);
    await queryRunner.query(`
      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        agent_id uuid NOT NULL REFERENCES agents (id),
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        user_agent text,
        ip text
      )`);
    await queryRunner.query(`CREATE INDEX sessions_agent_idx ON sessions (agent_id)`);
    await queryRunner.query(`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE password_tokens (
        token_hash text PRIMARY KEY,
        agent_id uuid NOT NULL REFERENCES agents (id),
        purpose text NOT NULL CHECK (purpose IN ('first_admin', 'invitation', 'reset')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX password_tokens_agent_idx ON password_tokens (agent_id)`);
    await queryRunner.query(`
      CREATE TABLE auth_attempts (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('sign_in_failure', 'reset_request')),
        email text NOT NULL,
        ip text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX auth_attempts_email_idx ON auth_attempts (kind, email, at)`,
    );
    await queryRunner.query(`CREATE INDEX auth_attempts_ip_idx ON auth_attempts (kind, ip, at)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE auth_attempts`);
    await queryRunner.query(`DROP TABLE password_tokens`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`ALTER TABLE agents DROP COLUMN password_hash`);
  }
}
