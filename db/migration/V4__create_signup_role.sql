-- The privileges the sign-up trigger (user/signup) signs in with: a group role that never logs in
-- itself, beside the service's cruddur_app. The trigger's login (POSTGRES_SIGNUP_USER, ensured by
-- the init run: postgres/ApplicationLogin) is a member, and after a rotation of its secret the
-- rotation's <login>_clone is one through it.
-- Roles belong to the whole server, not to one database: it may exist already.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cruddur_signup') THEN
        CREATE ROLE cruddur_signup NOLOGIN;
    END IF;
END
$$;

-- Exactly the statements the trigger sends (user/signup/UserRows). As for cruddur_app, no default
-- privileges: from here on every migration that creates a table grants both roles what they need
-- of it, or nothing (db/ApplicationRoleTest fails on a table without a stated grant for either).
GRANT USAGE ON SCHEMA public TO cruddur_signup;
-- A confirmed user's row (INSERT ... ON CONFLICT DO NOTHING RETURNING uuid), then which row
-- conflicted (SELECT). Never UPDATE or DELETE: another user's row is never touched.
GRANT SELECT, INSERT ON users TO cruddur_signup;
