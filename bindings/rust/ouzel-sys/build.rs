//! Finds libouzel; never builds it (the C++ engine is built by the project's own tools, see
//! bindings/rust/README.md).
//!
//! - `OUZEL_LIB_DIR=/path`: link the library in that directory (`libouzel.so`, or `libouzel.a` with
//!   `OUZEL_STATIC=1`); headers are not needed, the declarations are checked in. When the
//!   directory holds `pkgconfig/ouzel.pc` (a `scripts/install` tree), that file is used.
//! - otherwise pkg-config's `ouzel` (at least the version these declarations were generated from);
//!   `OUZEL_STATIC=1` asks it for the static library and its private dependencies.

use std::env;
use std::path::PathBuf;

/// The header version src/bindings.rs mirrors (OUZEL_VERSION_MAJOR.MINOR.PATCH).
const HEADER_VERSION: &str = "0.1.0";

fn main() {
    for var in ["OUZEL_LIB_DIR", "OUZEL_STATIC", "PKG_CONFIG_PATH"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let want_static = env::var("OUZEL_STATIC").map(|v| v == "1").unwrap_or(false);

    if let Ok(dir) = env::var("OUZEL_LIB_DIR") {
        let dir = PathBuf::from(dir);
        // An installed tree (scripts/install) carries its pkg-config file: it knows what the
        // static archive needs besides itself.
        let pc_dir = dir.join("pkgconfig");
        if pc_dir.join("ouzel.pc").exists() {
            let path = match env::var_os("PKG_CONFIG_PATH") {
                Some(old) => {
                    env::join_paths(std::iter::once(pc_dir.clone()).chain(env::split_paths(&old)))
                        .expect("PKG_CONFIG_PATH")
                }
                None => pc_dir.clone().into_os_string(),
            };
            env::set_var("PKG_CONFIG_PATH", path);
            probe(want_static);
            return;
        }
        let file = if want_static { "libouzel.a" } else { "libouzel.so" };
        if !dir.join(file).exists() {
            panic!(
                "OUZEL_LIB_DIR={} has no {file}; build it with `bazel build //capi:libouzel.so` or \
                 install it with `scripts/install --prefix DIR`",
                dir.display()
            );
        }
        println!("cargo:rustc-link-search=native={}", dir.display());
        if want_static {
            println!("cargo:rustc-link-lib=static=ouzel");
            // The engine is C++: its runtime comes with it when linking the archive.
            println!("cargo:rustc-link-lib=dylib=stdc++");
        } else {
            println!("cargo:rustc-link-lib=dylib=ouzel");
        }
        println!("cargo:lib_dir={}", dir.display());
        return;
    }

    probe(want_static);
}

fn probe(want_static: bool) {
    match pkg_config::Config::new()
        .atleast_version(HEADER_VERSION)
        .statik(want_static)
        .probe("ouzel")
    {
        Ok(lib) => {
            if let Some(dir) = lib.link_paths.first() {
                println!("cargo:lib_dir={}", dir.display());
            }
            // `-l:libssl.so.0` (BoringSSL's Debian names, in Libs.private) reaches cargo only as
            // a link argument of this crate, which dependents never see: name those libraries
            // with the verbatim modifier so every binary that links libouzel.a gets them.
            let mut seen = std::collections::HashSet::new();
            for lib_name in &lib.libs {
                if let Some(name) = lib_name.strip_prefix(':') {
                    if seen.insert(name) {
                        println!("cargo:rustc-link-lib=dylib:+verbatim={name}");
                    }
                }
            }
        }
        Err(e) => panic!(
            "libouzel not found: set OUZEL_LIB_DIR to the directory holding libouzel.so, or \
             install Ouzel (scripts/install --prefix DIR) and make its ouzel.pc visible to \
             pkg-config (PKG_CONFIG_PATH=DIR/lib/pkgconfig).\npkg-config said: {e}"
        ),
    }
}
