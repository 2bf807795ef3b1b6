-- Where the in-service stream consumer has got to in each shard of the messages table's stream.
-- Kept here, not in the table itself, so that checkpointing writes no stream records of its own.
CREATE TABLE stream_checkpoints (
    stream_arn      text        NOT NULL,
    shard_id        text        NOT NULL,
    -- The last sequence number whose record has been applied; NULL before the first.
    sequence_number text,
    -- The shard is closed and every record of it has been applied: its children may start.
    finished        boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_arn, shard_id)
);
