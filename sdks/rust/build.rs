// Generates the gRPC stubs from the repository's proto/ (or $EVENTSTORE_PROTO_DIR) into OUT_DIR
// (inside CARGO_TARGET_DIR). Needs protoc: $PROTOC, else `protoc` on PATH (Debian: /usr/bin/protoc).
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_dir = match std::env::var_os("EVENTSTORE_PROTO_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("../../proto"),
    };
    if std::env::var_os("PROTOC").is_none() && PathBuf::from("/usr/bin/protoc").exists() {
        // SAFETY: build scripts are single-threaded here.
        unsafe { std::env::set_var("PROTOC", "/usr/bin/protoc") };
    }
    let eventstore = proto_dir.join("eventstore/v1/eventstore.proto");
    let status = proto_dir.join("google/rpc/status.proto");
    println!("cargo:rerun-if-env-changed=EVENTSTORE_PROTO_DIR");
    println!("cargo:rerun-if-changed={}", eventstore.display());
    println!("cargo:rerun-if-changed={}", status.display());
    let mut includes = vec![proto_dir.clone()];
    if PathBuf::from("/usr/include/google/protobuf/empty.proto").exists() {
        includes.push(PathBuf::from("/usr/include"));
    }
    // Type names let the Protobuf helper use the message's full name (prost::Name).
    let mut config = prost_build::Config::new();
    config.enable_type_names();
    tonic_prost_build::configure()
        .build_server(false)
        .build_client(true)
        .compile_with_config(config, &[eventstore, status], &includes)?;
    Ok(())
}
