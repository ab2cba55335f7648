-- A metadata database as Krait Server made it before schema versions (issue 13 and the start of issue 14):
-- the schema of that time, with a user, a channel and a day of counted downloads, for the upgrade test.
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    is_admin INTEGER NOT NULL,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS user_passwords (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    changed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    description TEXT,
    created TEXT NOT NULL,
    expires TEXT,
    revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS channels (
    name TEXT PRIMARY KEY,
    private INTEGER NOT NULL,
    owner_id INTEGER REFERENCES users(id),
    mirror_channel_url TEXT,
    mirror_mode TEXT,
    mirror_filter TEXT,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channel_members (
    channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (channel, user_id));
CREATE TABLE IF NOT EXISTS api_key_roles (
    key_id INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    package TEXT,
    role TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS api_key_roles_by_key ON api_key_roles (key_id);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    origin TEXT NOT NULL,
    action TEXT NOT NULL,
    channel TEXT,
    subject TEXT NOT NULL,
    detail TEXT);
CREATE INDEX IF NOT EXISTS audit_log_by_channel ON audit_log (channel, id);
CREATE TABLE IF NOT EXISTS download_counts (
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    subdir TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    build TEXT NOT NULL,
    user_name TEXT NOT NULL,
    key_id INTEGER NOT NULL,
    client TEXT NOT NULL,
    downloads INTEGER NOT NULL,
    PRIMARY KEY (channel, name, day, version, build, subdir, user_name, key_id, client));
CREATE TABLE IF NOT EXISTS package_files (
    channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
    subdir TEXT NOT NULL,
    filename TEXT NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    record BLOB NOT NULL,
    about BLOB,
    run_exports BLOB,
    post_install INTEGER NOT NULL,
    uploader TEXT,
    uploaded TEXT NOT NULL,
    PRIMARY KEY (channel, subdir, filename));
CREATE INDEX IF NOT EXISTS package_files_by_label ON package_files (channel, label, subdir, name);
CREATE INDEX IF NOT EXISTS package_files_by_name ON package_files (channel, name);
CREATE TABLE IF NOT EXISTS subdir_generations (
    channel TEXT NOT NULL,
    label TEXT NOT NULL,
    subdir TEXT NOT NULL,
    generation INTEGER NOT NULL,
    monolith_generation INTEGER NOT NULL DEFAULT 0,
    shard_index_generation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, label, subdir));
CREATE TABLE IF NOT EXISTS subdir_changes (
    channel TEXT NOT NULL,
    label TEXT NOT NULL,
    subdir TEXT NOT NULL,
    generation INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (channel, label, subdir, generation, name));
INSERT INTO users (id, name, is_admin, created) VALUES (1, 'admin', 1, '2026-11-01T00:00:00.0000000Z');
INSERT INTO channels (name, private, owner_id, created) VALUES ('demo', 0, 1, '2026-11-01T00:00:00.0000000Z');
INSERT INTO download_counts (day, channel, subdir, name, version, build, user_name, key_id, client, downloads)
    VALUES ('2026-11-20', 'demo', 'noarch', 'versioned', '2.0', '0', '', 0, 'conda', 42);
