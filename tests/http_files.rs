//! examples/http_files.rs, the green::http file server, driven on 127.0.0.1
//! by a raw HTTP/1.1 client on compat TcpStreams and by `curl` (skipped with
//! a notice where curl is missing; .ci/run installs it): exact bytes,
//! statuses, Range, HEAD, listings and refused traversal.
#![cfg(feature = "http")]

#[path = "../examples/http_files.rs"]
#[allow(dead_code)]
mod http_files;

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use green::compat::fs;
use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::TcpStream;
use green::compat::process::Command;
use green::http::ServerHandle;

use http_files::RangeAnswer;

/// The large file: several MiB, not a multiple of the server's 64 KiB pieces.
const BIG: usize = 5 * 1024 * 1024 + 4_321;

/// The byte at `i` of the large file: shifted bytes show as differences.
fn byte_at(i: usize) -> u8 {
    (i % 251) as u8 ^ (i >> 16) as u8
}

fn big_bytes() -> Vec<u8> {
    (0..BIG).map(byte_at).collect()
}

/// A served directory and, beside it (outside the root), a secret file.
struct Site {
    root: PathBuf,
    secret: PathBuf,
    server: ServerHandle,
}

const SECRET: &str = "outside the root: never served";

/// Builds the directory `green-http-files-<pid>-<name>` in the temp dir and
/// serves it on 127.0.0.1:0.
#[green::green]
fn site(name: &str) -> Site {
    let base = std::env::temp_dir().join(format!("green-http-files-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let root = base.join("root");
    fs::create_dir_all(root.join("sub").join("deeper")).unwrap();
    fs::write(root.join("hello.txt"), "hello, files\n").unwrap();
    fs::write(root.join("big.bin"), big_bytes()).unwrap();
    fs::write(root.join("empty.json"), "").unwrap();
    fs::write(root.join("with space & <tag>.html"), "<p>odd name</p>").unwrap();
    fs::write(root.join("sub").join("inner.css"), "p { color: green }").unwrap();
    let secret = base.join("secret.txt");
    fs::write(&secret, SECRET).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, root.join("escape")).unwrap();
    let server = http_files::start(&root, "127.0.0.1:0".parse().unwrap()).unwrap();
    Site {
        root,
        secret,
        server,
    }
}

#[green::green]
fn finish(site: Site) {
    site.server.stop(Duration::from_secs(2));
    let base = site.root.parent().unwrap().to_owned();
    fs::remove_dir_all(base).unwrap();
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

#[green::green]
fn read_line(reader: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(line.trim_end().to_owned())
}

/// Reads one response; its body only if `with_body` (not after HEAD) and
/// only by its Content-Length (the server never sends one without it).
#[green::green]
fn read_response(reader: &mut BufReader<TcpStream>, with_body: bool) -> io::Result<Reply> {
    let status_line = read_line(reader)?;
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    assert_eq!(reply.header("transfer-encoding"), None, "{reply:?}");
    if with_body {
        let len = reply.header("content-length").expect("a content-length");
        let mut body = vec![0; len.parse().unwrap()];
        reader.read_exact(&mut body)?;
        reply.body = body;
    }
    Ok(reply)
}

#[green::green]
fn connect(site: &Site) -> BufReader<TcpStream> {
    BufReader::new(TcpStream::connect(site.server.local_addr()).unwrap())
}

/// `method path` with `extra` header lines, on a new connection.
#[green::green]
fn request(site: &Site, method: &str, path: &str, extra: &str) -> Reply {
    let mut conn = connect(site);
    let raw = format!("{method} {path} HTTP/1.1\r\nhost: t\r\n{extra}\r\n");
    conn.get_mut().write_all(raw.as_bytes()).unwrap();
    read_response(&mut conn, method != "HEAD").unwrap()
}

#[green::green]
fn get(site: &Site, path: &str) -> Reply {
    request(site, "GET", path, "")
}

#[green::green]
fn get_range(site: &Site, path: &str, range: &str) -> Reply {
    request(site, "GET", path, &format!("range: {range}\r\n"))
}

#[green::test(timeout_ms = 60_000)]
fn serves_whole_files_with_their_headers() {
    let site = site("whole");
    let hello = get(&site, "/hello.txt");
    assert_eq!((hello.status, hello.text()), (200, "hello, files\n"));
    assert_eq!(hello.header("content-length"), Some("13"));
    assert_eq!(
        hello.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(hello.header("accept-ranges"), Some("bytes"));
    assert!(hello.header("last-modified").unwrap().ends_with(" GMT"));
    assert_eq!(hello.header("content-range"), None);

    let big = get(&site, "/big.bin");
    assert_eq!(big.status, 200);
    assert_eq!(big.header("content-length"), Some(BIG.to_string().as_str()));
    assert_eq!(big.header("content-type"), Some("application/octet-stream"));
    assert!(big.body == big_bytes(), "the large file's bytes differ");

    let empty = get(&site, "/empty.json");
    assert_eq!((empty.status, empty.body.len()), (200, 0));
    assert_eq!(empty.header("content-length"), Some("0"));
    assert_eq!(empty.header("content-type"), Some("application/json"));

    let odd = get(&site, "/with%20space%20%26%20%3Ctag%3E.html");
    assert_eq!((odd.status, odd.text()), (200, "<p>odd name</p>"));
    assert_eq!(odd.header("content-type"), Some("text/html; charset=utf-8"));
    finish(site);
}

#[green::test(timeout_ms = 60_000)]
fn answers_ranges_with_206_and_exact_bytes() {
    let site = site("ranges");
    let all = big_bytes();
    let len = BIG as u64;
    let cases: [(String, u64, u64); 6] = [
        ("bytes=10-19".into(), 10, 19),
        ("bytes=0-0".into(), 0, 0),
        (format!("bytes={}-", len - 100), len - 100, len - 1),
        ("bytes=-500".into(), len - 500, len - 1),
        // An end past the file is cut to it; a suffix longer than the
        // file is the whole file.
        (format!("bytes=1000000-{}", len * 2), 1_000_000, len - 1),
        (format!("bytes=-{}", len + 7), 0, len - 1),
    ];
    for (range, start, end) in cases {
        let reply = get_range(&site, "/big.bin", &range);
        assert_eq!(reply.status, 206, "{range}");
        let content_range = format!("bytes {start}-{end}/{len}");
        assert_eq!(reply.header("content-range"), Some(content_range.as_str()));
        let count = (end - start + 1).to_string();
        assert_eq!(reply.header("content-length"), Some(count.as_str()));
        assert!(
            reply.body == all[start as usize..=end as usize],
            "{range}: the bytes differ"
        );
    }
    // A range of a small file, on a keep-alive connection, twice.
    let mut conn = connect(&site);
    for _ in 0..2 {
        let raw = "GET /hello.txt HTTP/1.1\r\nhost: t\r\nrange: bytes=7-11\r\n\r\n";
        conn.get_mut().write_all(raw.as_bytes()).unwrap();
        let reply = read_response(&mut conn, true).unwrap();
        assert_eq!((reply.status, reply.text()), (206, "files"));
        assert_eq!(reply.header("content-range"), Some("bytes 7-11/13"));
    }
    // If-Range: the range only if the client's copy is this version.
    let modified = get(&site, "/hello.txt");
    let modified = modified.header("last-modified").unwrap();
    let same = format!("range: bytes=0-4\r\nif-range: {modified}\r\n");
    let reply = request(&site, "GET", "/hello.txt", &same);
    assert_eq!((reply.status, reply.text()), (206, "hello"));
    for stale in ["Thu, 01 Jan 1970 00:00:00 GMT", "\"an-etag\""] {
        let extra = format!("range: bytes=0-4\r\nif-range: {stale}\r\n");
        let reply = request(&site, "GET", "/hello.txt", &extra);
        assert_eq!(
            (reply.status, reply.text()),
            (200, "hello, files\n"),
            "{stale}"
        );
    }
    finish(site);
}

#[green::test(timeout_ms = 60_000)]
fn refuses_unsatisfiable_and_malformed_ranges_with_416() {
    let site = site("416");
    let len = BIG as u64;
    let star = format!("bytes */{len}");
    for range in [
        format!("bytes={len}-"),
        format!("bytes={}-{}", len + 5, len + 10),
        "bytes=-0".to_owned(),
        "bytes=5-3".to_owned(),
        "bytes=abc".to_owned(),
        "bytes=1-2-3".to_owned(),
        "bytes=+1-2".to_owned(),
        "bytes=".to_owned(),
        "bytes".to_owned(),
        format!("bytes={}-", "9".repeat(40)),
    ] {
        let reply = get_range(&site, "/big.bin", &range);
        assert_eq!(reply.status, 416, "{range}");
        assert_eq!(
            reply.header("content-range"),
            Some(star.as_str()),
            "{range}"
        );
    }
    let empty = get_range(&site, "/empty.json", "bytes=0-");
    assert_eq!(empty.status, 416);
    assert_eq!(empty.header("content-range"), Some("bytes */0"));
    // Not in bytes: ignored. Several ranges: the whole file (the module
    // docs say so).
    for range in ["items=0-5", "bytes=0-1,5-6", "bytes=0-1, 999999999-"] {
        let reply = get_range(&site, "/hello.txt", range);
        assert_eq!(
            (reply.status, reply.text()),
            (200, "hello, files\n"),
            "{range}"
        );
        assert_eq!(reply.header("content-range"), None);
    }
    finish(site);
}

#[green::test(timeout_ms = 60_000)]
fn head_gives_the_headers_and_no_body() {
    let site = site("head");
    // HEAD, then GET on the same connection: a body after the HEAD would
    // be read as the GET's status line.
    let mut conn = connect(&site);
    let raw = "HEAD /big.bin HTTP/1.1\r\nhost: t\r\nrange: bytes=0-9\r\n\r\nGET /hello.txt HTTP/1.1\r\nhost: t\r\n\r\n";
    conn.get_mut().write_all(raw.as_bytes()).unwrap();
    let head = read_response(&mut conn, false).unwrap();
    assert_eq!(head.status, 200, "Range is ignored on HEAD: {head:?}");
    assert_eq!(
        head.header("content-length"),
        Some(BIG.to_string().as_str())
    );
    assert_eq!(head.header("accept-ranges"), Some("bytes"));
    let next = read_response(&mut conn, true).unwrap();
    assert_eq!((next.status, next.text()), (200, "hello, files\n"));

    let listing = request(&site, "HEAD", "/", "");
    assert_eq!(listing.status, 200);
    assert!(
        listing
            .header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            > 0
    );
    let missing = request(&site, "HEAD", "/nope", "");
    assert_eq!(missing.status, 404);
    finish(site);
}

#[green::test(timeout_ms = 60_000)]
fn answers_404_405_and_refuses_paths_out_of_the_root() {
    let site = site("refuse");
    for path in ["/nope", "/sub/nope.txt", "/hello.txt/more", "//etc/passwd"] {
        assert_eq!(get(&site, path).status, 404, "{path}");
    }
    for path in [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/sub/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/sub/%2e%2e",
    ] {
        let reply = get(&site, path);
        assert!(
            reply.status == 403 && !reply.text().contains(SECRET),
            "{path}: {reply:?}"
        );
    }
    #[cfg(unix)]
    {
        let reply = get(&site, "/escape");
        assert_eq!(reply.status, 403, "a symlink out of the root");
    }
    for path in ["/%zz", "/%2", "/%ff", "/a%00b"] {
        assert_eq!(get(&site, path).status, 400, "{path}");
    }
    let post = request(&site, "POST", "/hello.txt", "content-length: 0\r\n");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    assert!(fs::read_to_string(&site.secret).unwrap() == SECRET);
    finish(site);
}

#[green::test(timeout_ms = 60_000)]
fn lists_directories() {
    let site = site("listing");
    let root = get(&site, "/");
    assert_eq!(root.status, 200);
    assert_eq!(
        root.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = root.text();
    for link in [
        "<a href=\"big.bin\">big.bin</a>",
        "<a href=\"hello.txt\">hello.txt</a>",
        "<a href=\"sub/\">sub/</a>",
        "<a href=\"with%20space%20%26%20%3Ctag%3E.html\">with space &amp; &lt;tag&gt;.html</a>",
    ] {
        assert!(html.contains(link), "no `{link}` in\n{html}");
    }
    assert!(!html.contains("../"), "no parent link at the root");

    let moved = get(&site, "/sub");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/sub/"));
    let sub = get(&site, "/sub/");
    assert_eq!(sub.status, 200);
    for link in ["href=\"../\"", "href=\"deeper/\"", "href=\"inner.css\""] {
        assert!(sub.text().contains(link), "no {link} in\n{}", sub.text());
    }
    let css = get(&site, "/sub/./inner.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    finish(site);
}

/// How many descriptors of this process are open on `path` (Linux).
#[cfg(target_os = "linux")]
#[green::green]
fn open_descriptors(path: &Path) -> usize {
    let mut open = 0;
    for entry in fs::read_dir("/proc/self/fd").unwrap() {
        let Ok(entry) = entry else { continue };
        if fs::read_link(entry.path()).is_ok_and(|target| target == path) {
            open += 1;
        }
    }
    open
}

#[cfg(target_os = "linux")]
#[green::test(timeout_ms = 60_000)]
fn streams_while_the_client_reads_and_stops_when_it_leaves() {
    let site = site("leave");
    // 1 GiB, sparse: far more than loopback's socket buffers hold, no disk.
    let big = site.root.join("huge.bin");
    fs::File::create(&big).unwrap().set_len(1 << 30).unwrap();
    let big = fs::canonicalize(big).unwrap();
    assert_eq!(open_descriptors(&big), 0);
    let mut conn = connect(&site);
    let raw = "GET /huge.bin HTTP/1.1\r\nhost: t\r\n\r\n";
    conn.get_mut().write_all(raw.as_bytes()).unwrap();
    let mut first = vec![0; 256 * 1024];
    conn.read_exact(&mut first).unwrap();
    // The client stopped reading: the file is still open, being sent a
    // piece at a time, not read whole and closed.
    green::sleep(Duration::from_millis(100));
    assert_eq!(open_descriptors(&big), 1);
    drop(conn);
    // The client left: the reading task ends and closes the file.
    let mut waited = Duration::ZERO;
    while open_descriptors(&big) > 0 {
        assert!(waited < Duration::from_secs(20), "the file stays open");
        green::sleep(Duration::from_millis(20));
        waited += Duration::from_millis(20);
    }
    let hello = get(&site, "/hello.txt");
    assert_eq!((hello.status, hello.text()), (200, "hello, files\n"));
    finish(site);
}

/// Runs curl with `args`, `None` (and a notice) if curl is missing.
#[green::green]
fn curl(args: &[&str]) -> Option<std::process::Output> {
    match Command::new("curl").args(["-s", "-S"]).args(args).output() {
        Ok(out) => Some(out),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            eprintln!("curl not found: skipping the curl checks (.ci/run installs it)");
            None
        }
        Err(err) => panic!("curl: {err}"),
    }
}

/// The status code curl got for `args`, the body thrown away.
#[green::green]
fn http_code(args: &[&str]) -> String {
    let mut all = vec!["-o", "/dev/null", "-w", "%{http_code}"];
    all.extend_from_slice(args);
    let out = curl(&all).unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The head and the body of `curl -i` output.
fn split_head(out: &[u8]) -> (String, &[u8]) {
    let at = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    (
        String::from_utf8_lossy(&out[..at]).to_ascii_lowercase(),
        &out[at + 4..],
    )
}

#[green::test(timeout_ms = 60_000)]
fn curl_gets_ranges_heads_and_refusals() {
    let site = site("curl");
    let base = format!("http://{}", site.server.local_addr());
    let big = format!("{base}/big.bin");
    let Some(out) = curl(&["-i", "-r", "10-19", &big]) else {
        finish(site);
        return;
    };
    assert!(out.status.success(), "{out:?}");
    let (head, body) = split_head(&out.stdout);
    assert!(head.starts_with("http/1.1 206"), "{head}");
    assert!(
        head.contains(&format!("content-range: bytes 10-19/{BIG}")),
        "{head}"
    );
    assert!(head.contains("content-length: 10"), "{head}");
    assert_eq!(body, &big_bytes()[10..20]);

    let out = curl(&["-r", "-1000", &big]).unwrap();
    assert!(out.stdout == big_bytes()[BIG - 1000..], "curl -r -1000");
    let out = curl(&[&big]).unwrap();
    assert!(out.stdout == big_bytes(), "curl: the whole large file");

    let out = curl(&["-I", &format!("{base}/hello.txt")]).unwrap();
    let (head, body) = split_head(&out.stdout);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-length: 13"), "{head}");
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    assert!(body.is_empty());

    assert_eq!(http_code(&[&format!("{base}/nope")]), "404");
    assert_eq!(http_code(&["-r", "99999999-", &big]), "416");
    let traversal = format!("{base}/../secret.txt");
    assert_eq!(http_code(&["--path-as-is", &traversal]), "403");
    assert_eq!(http_code(&[&format!("{base}/%2e%2e/secret.txt")]), "403");
    finish(site);
}

#[test]
fn reads_range_headers() {
    use RangeAnswer::{Part, Unsatisfiable, Whole};
    let cases: &[(&str, u64, RangeAnswer)] = &[
        ("bytes=10-19", 100, Part { start: 10, end: 19 }),
        ("bytes=10-", 100, Part { start: 10, end: 99 }),
        ("bytes=-10", 100, Part { start: 90, end: 99 }),
        ("bytes=-200", 100, Part { start: 0, end: 99 }),
        ("bytes=90-200", 100, Part { start: 90, end: 99 }),
        ("BYTES = 1-1", 100, Part { start: 1, end: 1 }),
        (" bytes=5-6, ", 100, Part { start: 5, end: 6 }),
        ("bytes=100-", 100, Unsatisfiable),
        ("bytes=-0", 100, Unsatisfiable),
        ("bytes=0-", 0, Unsatisfiable),
        ("bytes=-5", 0, Unsatisfiable),
        ("bytes=2-1", 100, Unsatisfiable),
        ("bytes=x-1", 100, Unsatisfiable),
        ("bytes=1", 100, Unsatisfiable),
        ("bytes=-", 100, Unsatisfiable),
        ("bytes= 1 -2", 100, Unsatisfiable),
        ("bytes=", 100, Unsatisfiable),
        ("nonsense", 100, Unsatisfiable),
        ("bytes=200-300,400-", 100, Unsatisfiable),
        ("bytes=0-1,2-3", 100, Whole),
        ("bytes=200-300,5-", 100, Whole),
        ("items=0-1", 100, Whole),
        ("bytes=18446744073709551616-", 100, Unsatisfiable),
        (
            "bytes=0-99999999999999999999999",
            100,
            Part { start: 0, end: 99 },
        ),
    ];
    for &(header, len, want) in cases {
        let got = http_files::parse_range(header.as_bytes(), len);
        assert_eq!(got, want, "{header:?} on {len} bytes");
    }
    assert_eq!(http_files::parse_range(b"bytes=\xff-1", 10), Unsatisfiable);
}

#[test]
fn decodes_paths_and_dates() {
    assert_eq!(
        http_files::percent_decode("/a%20b/%C3%A9+").as_deref(),
        Some("/a b/é+")
    );
    for bad in ["%", "%2", "%zz", "%+1", "%ff"] {
        assert_eq!(http_files::percent_decode(bad), None, "{bad}");
    }
    let date = |secs| http_files::http_date(UNIX_EPOCH + Duration::from_secs(secs));
    assert_eq!(date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(date(4_133_980_799), "Fri, 31 Dec 2100 23:59:59 GMT");
    let types = [
        ("a.HTML", "text/html; charset=utf-8"),
        ("b.png", "image/png"),
        ("c.tar.gz", "application/gzip"),
        ("no-extension", "application/octet-stream"),
    ];
    for (name, want) in types {
        assert_eq!(http_files::content_type(Path::new(name)), want);
    }
}
