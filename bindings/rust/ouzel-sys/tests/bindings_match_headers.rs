//! The checked-in declarations must be exactly what the headers give today, and must declare
//! exactly the functions libouzel exports.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn sys_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bindings_are_regenerated_from_the_current_headers() {
    let script = sys_dir().join("gen/generate.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg("--check")
        .output()
        .expect("python3 runs gen/generate.py (scripts/setup installs python3 and clang-14)");
    assert!(
        out.status.success(),
        "src/bindings.rs differs from capi/include:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bindings_declare_exactly_the_exported_symbols() {
    let bindings = std::fs::read_to_string(sys_dir().join("src/bindings.rs")).unwrap();
    let declared: BTreeSet<String> = bindings
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub fn "))
        .map(|rest| rest.split('(').next().unwrap().to_string())
        .collect();
    let exported_list = sys_dir().join("../../../tests/abi/exported_symbols.txt");
    let exported: BTreeSet<String> = std::fs::read_to_string(&exported_list)
        .unwrap_or_else(|e| panic!("{}: {e}", exported_list.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let missing: Vec<_> = exported.difference(&declared).collect();
    let extra: Vec<_> = declared.difference(&exported).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "exported but not declared: {missing:?}; declared but not exported: {extra:?}"
    );
}
