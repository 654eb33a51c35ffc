//! Every broken scenario in `tests/fixtures/invalid/` goes through the real binary: it must
//! exit 1 (never 0, never a panic), name the file with a line and column, and render the
//! same diagnostics as its snapshot.

use std::path::Path;
use std::process::Command;

#[test]
fn every_invalid_fixture_gets_a_located_diagnostic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/fixtures/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures exist")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "only {} invalid fixtures", files.len());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root.join("tests/snapshots/invalid"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for f in &files {
            let rel = f.strip_prefix(root).expect("under the root");
            let out = Command::new(env!("CARGO_BIN_EXE_ttx"))
                .arg("check")
                .arg(rel)
                .current_dir(root)
                .output()
                .expect("ttx runs");
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}: exit {:?}\n{stderr}",
                rel.display(),
                out.status.code()
            );
            let first = stderr.lines().next().unwrap_or_default();
            let prefix = format!("{}:", rel.display());
            assert!(
                first.starts_with(&prefix),
                "{}: first line `{first}`",
                rel.display()
            );
            assert!(first.contains(": error: "), "{}: `{first}`", rel.display());
            let name = f
                .file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            insta::assert_snapshot!(name, stderr);
        }
    });
}
