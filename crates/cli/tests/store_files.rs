//! The fleet database as a file or URL given to `--db` (issue 18, item 10):
//! a read-only database is read and never written, a SQLite database that
//! is not w2k8's is refused untouched, and connection strings never show
//! their password.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use util::*;

/// `w2k8 ARGS...` run as a user whom file modes bind: this user, or, when
/// the tests run as root (whom they do not bind), `nobody` through
/// `setpriv`. None when root cannot drop its privileges here.
fn unprivileged(args: &[&str]) -> Option<Output> {
    use std::os::unix::fs::MetadataExt;
    let root = std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
    let mut c = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_w2k8")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_w2k8"))
    };
    let data = std::env::temp_dir().join(format!("w2k8-tests-{}-no-overlay", std::process::id()));
    c.current_dir("/").env("W2K8_DATA_DIR", data).args(args);
    match c.output() {
        Ok(o) if root && o.status.code() == Some(127) => None,
        Ok(o) => Some(o),
        Err(_) => None,
    }
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A read-only database file, and a database in a read-only folder, are
/// read by `hosts`, `history`, `diff` and `report` (they failed with
/// "attempt to write a readonly database"); `scan` into them exits 2
/// naming the file and why, and writes nothing.
#[test]
fn a_read_only_database_is_read_and_never_written() {
    let dir = scratch("read-only-db");
    let folder = dir.join("store");
    std::fs::create_dir_all(&folder).unwrap();
    chmod(&dir, 0o755);
    let db = folder.join("fleet.db");
    let db_text = db.to_str().unwrap();
    // A copy the unprivileged user can read wherever the checkout lives (a
    // clone in a 0700 `mktemp -d` folder is not readable by `nobody`).
    let legacy = dir.join("srv-legacy01");
    std::fs::create_dir_all(&legacy).unwrap();
    chmod(&legacy, 0o755);
    for e in std::fs::read_dir(root().join("examples/srv-legacy01")).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            let to = legacy.join(e.file_name());
            std::fs::copy(e.path(), &to).unwrap();
            chmod(&to, 0o644);
        }
    }
    assert_exit(&w2k8(&["scan", "examples/srv-file01", "--as-of", "2026-01-15", "--db", db_text]), 0);
    let before = std::fs::read(&db).unwrap();
    for (file_mode, folder_mode, what) in [(0o444, 0o777, "a read-only file"), (0o644, 0o555, "a read-only folder")] {
        chmod(&db, file_mode);
        chmod(&folder, folder_mode);
        for args in [
            &["hosts"][..],
            &["history", "SRV-FILE01"],
            &["history", "--id", "1", "--cve", "CVE-2019-0708"],
            &["diff"],
            &["report", "--format", "json"],
        ] {
            let mut all = args.to_vec();
            all.extend(["--db", db_text]);
            let Some(o) = unprivileged(&all) else {
                eprintln!("skipped: running as root without setpriv, file modes cannot be tested");
                return;
            };
            assert_exit(&o, 0);
            assert!(stdout(&o).contains("SRV-FILE01"), "{what}: {all:?}: {}", stdout(&o));
        }
        let o = unprivileged(&["scan", legacy.to_str().unwrap(), "--db", db_text]).unwrap();
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains(&format!("{db_text}: cannot write: the file or its folder is read-only")),
            "{what}: {}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "{what}: the database is unchanged");
        chmod(&folder, 0o755);
        chmod(&db, 0o644);
        for side in ["fleet.db-shm", "fleet.db-wal"] {
            let _ = std::fs::remove_file(folder.join(side));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A read-only database of an older schema cannot be read without
/// migrating it: the message says so (not just "cannot write").
#[test]
fn a_read_only_database_of_an_older_schema_says_it_needs_migrating() {
    let dir = scratch("read-only-old");
    chmod(&dir, 0o755);
    let db = dir.join("old.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(w2k8_store::schema::V1).unwrap();
    c.execute_batch("PRAGMA user_version = 1;").unwrap();
    drop(c);
    chmod(&db, 0o444);
    let Some(o) = unprivileged(&["hosts", "--db", db.to_str().unwrap()]) else {
        eprintln!("skipped: running as root without setpriv, file modes cannot be tested");
        return;
    };
    assert_exit(&o, 2);
    assert_eq!(
        stderr(&o),
        format!(
            "w2k8: {}: schema version 1 must be migrated to {} before this w2k8 reads it, which needs write access: \
             the file or its folder is read-only\n",
            db.display(),
            w2k8_store::schema::CURRENT
        )
    );
    chmod(&db, 0o644);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--db` pointed at a SQLite database of something else: every command
/// exits 2 saying so, and w2k8's tables are not added to it.
#[test]
fn a_sqlite_database_that_is_not_a_fleet_store_is_refused() {
    let dir = scratch("foreign-db");
    let db = dir.join("inventory.sqlite");
    let db_text = db.to_str().unwrap();
    rusqlite::Connection::open(&db).unwrap().execute_batch("CREATE TABLE machines (name TEXT);").unwrap();
    let before = std::fs::read(&db).unwrap();
    let message = format!(
        "w2k8: {db_text} is a SQLite database but not a w2k8 fleet store (it holds machines, and no w2k8 schema \
         version): give a new file or a fleet database\n"
    );
    for args in [
        &["scan", "examples/srv-file01"][..],
        &["hosts"],
        &["history", "SRV-FILE01"],
        &["diff"],
        &["report", "--format", "json"],
        &["db", "migrate"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--db", db_text]);
        let o = w2k8(&all);
        assert_exit(&o, 2);
        assert_eq!(stderr(&o), message, "{all:?}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "not a byte written");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A libpq `key=value` connection string is a PostgreSQL database, not a
/// file name (it was reported as "no such fleet database" with its
/// password): it is connected to, and its password never printed.
#[test]
fn a_key_value_connection_string_is_postgres_and_its_password_masked() {
    let db = "host=127.0.0.1 port=1 user=w2k8 password=s3cret dbname=w2k8";
    for args in [&["hosts", "--db", db][..], &["scan", "examples/srv-file01", "--db", db], &["report", "--db", db]] {
        let o = w2k8(args);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(!err.contains("s3cret") && !stdout(&o).contains("s3cret"), "{args:?}: {err}");
        assert!(
            err.starts_with("w2k8: host=127.0.0.1 port=1 user=w2k8 password=*** dbname=w2k8: cannot connect: "),
            "{args:?}: {err}"
        );
    }
}
