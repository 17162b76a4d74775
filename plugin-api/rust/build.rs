// Compiles shim/shim.c (plugin_util.h's functions as extern ones) into a static library linked
// into the crate. plugin.h and plugin_util.h come from $EVENTSTORE_PLUGIN_INCLUDE, else ../include
// (this tree), else ../../../../include (the installed kit: share/eventstore/rust/eventstore-plugin).
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-env-changed=EVENTSTORE_PLUGIN_INCLUDE");
    let include = match std::env::var_os("EVENTSTORE_PLUGIN_INCLUDE") {
        Some(dir) => PathBuf::from(dir),
        None => [manifest.join("../include"), manifest.join("../../../../include")]
            .into_iter()
            .find(|dir| dir.join("eventstore/plugin_util.h").exists())
            .unwrap_or_else(|| {
                panic!("eventstore/plugin_util.h not found: set EVENTSTORE_PLUGIN_INCLUDE to the kit's include dir")
            }),
    };
    for file in ["shim/shim.c", "shim/shim.h"] {
        println!("cargo:rerun-if-changed={file}");
    }
    for header in ["plugin.h", "plugin_util.h"] {
        println!(
            "cargo:rerun-if-changed={}",
            include.join("eventstore").join(header).display()
        );
    }
    cc::Build::new()
        .file("shim/shim.c")
        .include(&include)
        .flag_if_supported("-std=c11")
        .warnings_into_errors(true)
        .compile("eventstore_plugin_shim");
}
