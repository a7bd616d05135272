//! Real Mosquitto brokers for the tests, on free loopback ports with a generated configuration
//! (plain TCP, TLS requiring a client certificate, WebSocket, a password file, persistence), and
//! certificates made with the openssl command at test time. Every wait is bounded; a broker dies
//! with its `Broker` value, and with the test process even when that is killed (a watchdog
//! shell kills it once our end of its stdin pipe closes).

#![allow(dead_code)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const MOSQUITTO: &str = "/usr/sbin/mosquitto";

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!(
            "{prefix}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let dir = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        set_mode(&dir, 0o755);
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Test certificates: a CA, a server certificate for 127.0.0.1/localhost, a client certificate,
/// and another CA that signed nothing the broker uses.
pub struct Certs {
    _dir: TempDir,
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .output()
        .expect("openssl runs (scripts/setup installs it)");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn signed_cert(dir: &Path, name: &str, cn: &str, san: &str) {
    let (key, csr, crt, ext) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.crt"),
        format!("{name}.ext"),
    );
    let subj = format!("/CN={cn}");
    openssl(
        dir,
        &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &csr, "-subj", &subj],
    );
    std::fs::write(dir.join(&ext), format!("subjectAltName={san}\n")).unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &crt,
            "-days",
            "2",
            "-sha256",
            "-extfile",
            &ext,
        ],
    );
}

pub fn certs() -> &'static Certs {
    static CERTS: OnceLock<Certs> = OnceLock::new();
    CERTS.get_or_init(|| {
        let dir = TempDir::new("ouzel-rust-certs");
        let d = dir.path().to_path_buf();
        for ca in ["ca", "other-ca"] {
            let subj = format!("/CN=Ouzel test {ca}");
            let (key, crt) = (format!("{ca}.key"), format!("{ca}.crt"));
            openssl(
                &d,
                &[
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &crt,
                    "-days", "2", "-subj", &subj,
                ],
            );
        }
        signed_cert(&d, "server", "localhost", "DNS:localhost,IP:127.0.0.1");
        signed_cert(&d, "client", "ouzel-client", "DNS:ouzel-client");
        for entry in std::fs::read_dir(&d).unwrap() {
            set_mode(&entry.unwrap().path(), 0o644);
        }
        Certs {
            ca: d.join("ca.crt"),
            other_ca: d.join("other-ca.crt"),
            server_cert: d.join("server.crt"),
            server_key: d.join("server.key"),
            client_cert: d.join("client.crt"),
            client_key: d.join("client.key"),
            _dir: dir,
        }
    })
}

#[derive(Default, Clone)]
pub struct BrokerConfig {
    pub tls: bool,
    pub websockets: bool,
    pub persistence: bool,
    pub users: Vec<(String, String)>,
    pub extra: Vec<String>,
}

pub struct Broker {
    dir: TempDir,
    config: BrokerConfig,
    pub port: u16,
    pub tls_port: u16,
    pub ws_port: u16,
    process: Option<(Child, Child)>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

impl Broker {
    pub fn plain() -> Broker {
        Broker::start(BrokerConfig::default())
    }

    pub fn start(config: BrokerConfig) -> Broker {
        let mut broker = Broker {
            dir: TempDir::new("ouzel-rust-broker"),
            config,
            port: 0,
            tls_port: 0,
            ws_port: 0,
            process: None,
        };
        for _ in 0..5 {
            broker.port = free_port();
            broker.tls_port = if broker.config.tls { free_port() } else { 0 };
            broker.ws_port = if broker.config.websockets { free_port() } else { 0 };
            broker.write_config();
            if broker.launch(Duration::from_secs(10)) {
                return broker;
            }
        }
        panic!("mosquitto did not start:\n{}", broker.log());
    }

    fn write_config(&self) {
        let d = self.dir.path();
        let mut lines =
            vec![format!("listener {} 127.0.0.1", self.port), "socket_domain ipv4".to_string()];
        if self.config.tls {
            let c = certs();
            lines.extend([
                format!("listener {} 127.0.0.1", self.tls_port),
                "socket_domain ipv4".into(),
                format!("cafile {}", c.ca.display()),
                format!("certfile {}", c.server_cert.display()),
                format!("keyfile {}", c.server_key.display()),
                "require_certificate true".into(),
            ]);
        }
        if self.config.websockets {
            lines.extend([
                format!("listener {} 127.0.0.1", self.ws_port),
                "protocol websockets".into(),
                "socket_domain ipv4".into(),
            ]);
        }
        if self.config.users.is_empty() {
            lines.push("allow_anonymous true".into());
        } else {
            let pw = d.join("passwd");
            std::fs::write(&pw, "").unwrap();
            for (user, password) in &self.config.users {
                let ok = Command::new("mosquitto_passwd")
                    .args(["-b", pw.to_str().unwrap(), user, password])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .expect("mosquitto_passwd runs (mosquitto package)")
                    .success();
                assert!(ok, "mosquitto_passwd failed");
            }
            set_mode(&pw, 0o644);
            lines.extend([
                format!("password_file {}", pw.display()),
                "allow_anonymous false".into(),
            ]);
        }
        if self.config.persistence {
            lines.extend([
                "persistence true".into(),
                format!("persistence_location {}/", d.display()),
                "autosave_interval 0".into(),
            ]);
        }
        if is_root() {
            lines.push("user root".into());
        }
        lines.push(format!("log_dest file {}", d.join("mosquitto.log").display()));
        lines.extend(self.config.extra.iter().cloned());
        std::fs::write(d.join("mosquitto.conf"), lines.join("\n") + "\n").unwrap();
    }

    fn launch(&mut self, within: Duration) -> bool {
        let conf = self.dir.path().join("mosquitto.conf");
        let child = Command::new(MOSQUITTO)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mosquitto starts (scripts/setup installs it)");
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(format!("read _unused; kill -9 {} 2>/dev/null", child.id()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sh starts");
        self.process = Some((child, watchdog));
        let deadline = Instant::now() + within;
        let ports: Vec<u16> =
            [self.port, self.tls_port, self.ws_port].into_iter().filter(|&p| p != 0).collect();
        while Instant::now() < deadline {
            if let Some((child, _)) = &mut self.process {
                if child.try_wait().ok().flatten().is_some() {
                    self.reap();
                    return false;
                }
            }
            if ports.iter().all(|p| {
                TcpStream::connect_timeout(&([127, 0, 0, 1], *p).into(), Duration::from_secs(1))
                    .is_ok()
            }) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
        false
    }

    fn reap(&mut self) {
        if let Some((mut child, mut watchdog)) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
            if let Some(mut stdin) = watchdog.stdin.take() {
                let _ = stdin.write_all(b"\n");
            }
            let _ = watchdog.wait();
        }
    }

    /// SIGKILL: the broker loses what it did not save.
    pub fn kill(&mut self) {
        self.reap();
    }

    /// SIGTERM (mosquitto saves its persistence file), bounded, then SIGKILL.
    pub fn stop(&mut self) {
        if let Some((child, _)) = &mut self.process {
            let pid = child.id().to_string();
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self.reap();
    }

    /// Starts again on the same ports with the same persistence file (retried while the ports
    /// are still held, for up to 20 s).
    pub fn start_again(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.launch(Duration::from_secs(5)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("mosquitto did not restart:\n{}", self.log());
    }

    pub fn restart(&mut self) {
        self.stop();
        self.start_again();
    }

    pub fn uri(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }

    pub fn tls_uri(&self) -> String {
        format!("mqtts://127.0.0.1:{}", self.tls_port)
    }

    pub fn ws_uri(&self) -> String {
        format!("ws://127.0.0.1:{}/mqtt", self.ws_port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("mosquitto.log")).unwrap_or_default()
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.reap();
    }
}

/// A topic no other test uses.
pub fn topic(name: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("ouzel-rust/{}/{name}/{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Polls `cond` every 10 ms until it holds or `within` passes.
pub fn wait_until(within: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The bound for any single wait in these tests.
pub const WAIT: Duration = Duration::from_secs(20);

/// The path of an example program of this crate (`cargo test` builds them):
/// target/<profile>/deps/integration-<hash> -> target/<profile>/examples/<name>.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join("examples").join(name);
    assert!(path.exists(), "{} is built by `cargo test`", path.display());
    path
}

/// Receives on its own thread until `done` says the messages so far are complete (or a wait of
/// WAIT passes without a message): brokers queue only so much for a subscriber that does not
/// read (mosquitto: 1,000 messages), so a test that publishes more receives while it publishes.
pub fn collect(
    sub: &ouzel::blocking::Client,
    mut done: impl FnMut(&[ouzel::Message]) -> bool + Send + 'static,
) -> std::thread::JoinHandle<Result<Vec<ouzel::Message>, String>> {
    let sub = sub.clone();
    std::thread::spawn(move || {
        let mut got = Vec::new();
        while !done(&got) {
            match sub.recv_timeout(WAIT) {
                Ok(m) => got.push(m),
                Err(e) => {
                    let mut per_topic =
                        std::collections::BTreeMap::<String, (usize, Vec<u8>)>::new();
                    for m in &got {
                        let e = per_topic.entry(m.topic().to_string()).or_default();
                        e.0 += 1;
                        e.1 = m.payload().to_vec();
                    }
                    let summary: Vec<String> = per_topic
                        .iter()
                        .map(|(t, (n, last))| {
                            format!("{t}: {n}, last {:?}", String::from_utf8_lossy(last))
                        })
                        .collect();
                    return Err(format!(
                        "{e} after {} messages ({})",
                        got.len(),
                        summary.join("; ")
                    ));
                }
            }
        }
        Ok(got)
    })
}
