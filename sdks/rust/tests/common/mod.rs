//! Starts a real eventstored (memory backend) on a free port for a test, stops it (SIGTERM) on drop.
#![allow(dead_code)]
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
}

fn repo_path(env: &str, relative: &str) -> PathBuf {
    match std::env::var_os(env) {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(relative),
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    pub fn start() -> Server {
        Server::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Server {
        Server::start_with(port, "")
    }

    /// On `port`, with `extra_config` appended to the YAML config (e.g. `tls` and `auth`).
    pub fn start_with(port: u16, extra_config: &str) -> Server {
        let eventstored = repo_path("EVENTSTORED", "build/bin/eventstored");
        let plugin = repo_path("EVENTSTORE_MEMORY_PLUGIN", "build/plugins/memory.so");
        let dir = std::env::temp_dir().join(format!(
            "eventstore-rust-test-{}-{port}-{}",
            std::process::id(),
            uuid_like()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("eventstore.yaml");
        std::fs::write(
            &config,
            format!(
                "listen: 127.0.0.1:{port}\nbackend:\n  plugin: {}\n{extra_config}",
                plugin.display()
            ),
        )
        .unwrap();
        let log = dir.join("eventstored.log");
        let child = Command::new(&eventstored)
            .arg("--config")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", eventstored.display()));
        let mut server = Server {
            child: Some(child),
            port,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("listening on") {
                break;
            }
            if let Some(status) = server.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("eventstored exited with {status}:\n{text}");
            }
            if Instant::now() > deadline {
                panic!("eventstored did not listen within 20 s:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// SIGTERM, then wait for the exit (a graceful shutdown: subscriptions end with UNAVAILABLE).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().ok().flatten().is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Server {
    /// SIGKILL: a crash, no UNAVAILABLE message; the client sees the connection drop.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A stream id no other test uses.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", eventstore_client::new_event_id())
}
