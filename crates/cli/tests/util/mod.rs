//! Helpers shared by the integration tests: run the real `w2k8` binary from
//! the repository root and read what it printed. Each test file uses part of
//! them, hence `dead_code` is allowed here.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `examples/` and `data/` are).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The binary, run from the repository root with an empty data directory,
/// so that no catalog overlay of the machine running the tests changes answers.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_w2k8"));
    let data = std::env::temp_dir().join(format!("w2k8-tests-{}-no-overlay", std::process::id()));
    c.current_dir(root()).env("W2K8_DATA_DIR", data);
    c
}

/// Runs `w2k8 ARGS...` (see [`command`]).
pub fn w2k8(args: &[&str]) -> Output {
    command().args(args).output().expect("run w2k8")
}

/// What it printed on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What it printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Its exit code (-1 when killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
}

/// Stdout parsed as JSON.
#[track_caller]
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("w2k8-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}
