-- The privileges the service signs in with: a group role that never logs in itself. The service's
-- login (POSTGRES_APP_USER, ensured by the init run: postgres/ApplicationLogin) is a member, and
-- after a rotation of its secret the rotation's <login>_clone is one through it.
-- Roles belong to the whole server, not to one database: it may exist already.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cruddur_app') THEN
        CREATE ROLE cruddur_app NOLOGIN;
    END IF;
END
$$;

-- Exactly the statements the service sends (user/UserRepository, projection/consumer/CheckpointRepository).
-- No default privileges: every migration that creates a table grants cruddur_app what the service
-- needs of it, or nothing (db/ApplicationRoleTest fails on a table without a stated grant).
GRANT USAGE ON SCHEMA public TO cruddur_app;
-- Who is this token's sub, who has this handle. The service never writes users (docs/deploy.md, 7).
GRANT SELECT ON users TO cruddur_app;
-- The in-service stream consumer's load, save (an upsert) and reset; it never deletes a row.
GRANT SELECT, INSERT, UPDATE ON stream_checkpoints TO cruddur_app;
