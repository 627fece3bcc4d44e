//! examples/eventlet_websocket_chat.rs in a real browser: headless
//! Chromium opens the chat page twice, one page sends a line through its own
//! input and button, and the other page's DOM shows it. Chromium is driven
//! over the DevTools protocol with green's own WebSocket client.
//!
//! Without `/usr/bin/chromium` (Debian's `chromium`) the test says so and
//! passes, unless `GREEN_REQUIRE_BROWSER=1` (set by .ci/run once it has
//! installed Chromium). The receiving page's screenshot is written to
//! `target/tmp/websocket-chat.png`; with `GREEN_UPDATE_SCREENSHOT=1` also to
//! `docs/websocket-chat.png`.

#[path = "../examples/eventlet_websocket_chat.rs"]
#[allow(dead_code)]
mod eventlet_websocket_chat;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use green::compat::os::unix::process::CommandExt;
use green::compat::process::{Child, Command, Stdio};
use green::ws::{ClientStream, Message, WebSocket};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";

/// How long any one wait on the browser may take.
const PATIENCE: Duration = Duration::from_secs(30);

/// The browser, killed (its whole process group) and its profile removed
/// by [`quit`](Browser::quit), or when dropped if the test failed first.
struct Browser {
    child: Child,
    profile: PathBuf,
    quit: bool,
}

impl Browser {
    /// Kills the process group: Chromium forks renderers and helpers into it.
    fn kill(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &group])
            .status();
        let _ = self.child.kill();
    }

    /// Ends the browser without blocking the hub: waits for it green, then
    /// removes its profile on a thread.
    #[green::green]
    fn quit(mut self) {
        self.quit = true;
        self.kill();
        let _ = green::timeout(Duration::from_secs(5), || self.child.wait());
        let profile = self.profile.clone();
        let _ = green::spawn_blocking(move || std::fs::remove_dir_all(profile)).join();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.quit {
            return;
        }
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Starts headless Chromium with a fresh profile; the browser and the URL
/// of its DevTools endpoint.
#[green::green]
fn launch() -> (Browser, String) {
    let profile = std::env::temp_dir().join(format!("green-browser-chat-{}", std::process::id()));
    let _ = green::compat::fs::remove_dir_all(&profile);
    green::compat::fs::create_dir_all(&profile).unwrap();
    let mut command = Command::new(CHROMIUM);
    command
        .arg("--headless=new")
        .arg("--remote-debugging-port=0")
        .arg(format!("--user-data-dir={}", profile.display()))
        // Root in a container has no sandbox, and a small /dev/shm.
        .arg("--no-sandbox")
        .arg("--disable-dev-shm-usage")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--window-size=800,420")
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command.as_std_mut().process_group(0);
    let child = command.spawn().expect("start chromium");
    let browser = Browser {
        child,
        profile,
        quit: false,
    };
    // Chromium writes the port it chose, and the browser's path, here.
    let active = browser.profile.join("DevToolsActivePort");
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(text) = green::compat::fs::read_to_string(&active) {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                let url = format!("ws://127.0.0.1:{port}{path}");
                return (browser, url);
            }
        }
        assert!(
            Instant::now() < deadline,
            "chromium wrote no DevToolsActivePort"
        );
        green::sleep(Duration::from_millis(50));
    }
}

/// One DevTools connection (the browser's), with pages attached in flat
/// mode: each command names the page's session.
struct DevTools {
    ws: WebSocket<ClientStream>,
    next_id: u64,
}

impl DevTools {
    /// Sends `method` with `params` (to `session`, or the browser) and
    /// reads until its answer, skipping events; the answer's `result`.
    #[green::green]
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            command["sessionId"] = json!(session);
        }
        self.ws.send(command.to_string()).unwrap();
        loop {
            let text = match self.ws.read().unwrap() {
                Message::Text(text) => text,
                _ => continue,
            };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if answer["id"] == json!(id) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
        }
    }

    /// Opens `url` in a new page; the page's session.
    #[green::green]
    fn open(&mut self, url: &str) -> String {
        let created = self.call(None, "Target.createTarget", json!({ "url": url }));
        let target = created["targetId"].as_str().unwrap().to_owned();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        );
        attached["sessionId"].as_str().unwrap().to_owned()
    }

    /// Evaluates `expression` in the page; its value.
    #[green::green]
    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let params = json!({ "expression": expression, "returnByValue": true });
        let result = self.call(Some(session), "Runtime.evaluate", params);
        result["result"]["value"].clone()
    }

    /// The lines the page's `#chat` shows, once `ready` holds of them.
    #[green::green]
    fn chat_lines(&mut self, session: &str, ready: impl Fn(&[String]) -> bool) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let read = "Array.from(document.querySelectorAll('#chat div')).map(d => d.textContent)";
        loop {
            let lines: Vec<String> = match self.eval(session, read) {
                Value::Array(lines) => lines
                    .iter()
                    .filter_map(|l| l.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(), // the page is still loading
            };
            if ready(&lines) {
                return lines;
            }
            assert!(
                Instant::now() < deadline,
                "the page never got there: {lines:?}"
            );
            green::sleep(Duration::from_millis(50));
        }
    }
}

fn required() -> bool {
    std::env::var("GREEN_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

#[green::test]
fn a_line_sent_in_one_page_shows_in_the_other() {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            !required(),
            "GREEN_REQUIRE_BROWSER=1 but {CHROMIUM} is missing"
        );
        eprintln!("NOTICE: {CHROMIUM} not found (Debian package `chromium`): browser test skipped");
        return;
    }
    let (server, room) = eventlet_websocket_chat::start("127.0.0.1:0").unwrap();
    let page = format!("http://{}/", server.local_addr());
    let (browser, devtools_url) = launch();
    let mut devtools = DevTools {
        ws: green::ws::connect(devtools_url.as_str()).unwrap(),
        next_id: 0,
    };

    let sender = devtools.open(&page);
    devtools.chat_lines(&sender, |lines| !lines.is_empty()); // its own "joined"
    let receiver = devtools.open(&page);
    devtools.chat_lines(&receiver, |lines| !lines.is_empty());
    assert_eq!(room.len(), 2);

    // Typed into the sending page's input and sent with its button.
    let typed = devtools.eval(
        &sender,
        "document.querySelector('#chatform [type=text]').value = 'hello from the other page';\
         document.querySelector('#chatform [type=submit]').click(); 'sent'",
    );
    assert_eq!(typed, json!("sent"));
    let shown = devtools.chat_lines(&receiver, |lines| {
        lines.iter().any(|l| l == "hello from the other page")
    });
    assert_eq!(
        shown.last().unwrap(),
        "hello from the other page",
        "{shown:?}"
    );
    // The sender shows its own line too, as eventlet's chat does.
    devtools.chat_lines(&sender, |lines| {
        lines.iter().any(|l| l == "hello from the other page")
    });

    devtools.call(Some(&receiver), "Page.bringToFront", json!({}));
    let shot = devtools.call(
        Some(&receiver),
        "Page.captureScreenshot",
        json!({ "format": "png" }),
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("websocket-chat.png");
    green::compat::fs::write(&out, &png).unwrap();
    if std::env::var("GREEN_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/websocket-chat.png");
        green::compat::fs::write(docs, &png).unwrap();
    }
    eprintln!("screenshot of the receiving page: {}", out.display());

    browser.quit();

    server.stop(Duration::from_secs(2));
}
