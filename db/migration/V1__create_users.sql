-- Cruddur users. Messages live in DynamoDB; this table answers "who is this token's sub" and
-- "who has this handle".
CREATE TABLE users (
    uuid            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    display_name    text        NOT NULL,
    handle          text        NOT NULL UNIQUE,
    email           text        NOT NULL,
    -- The Cognito user's sub; NULL until the user is linked to the pool. Unique when set.
    cognito_user_id text        UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now()
);
